package io.fleetprov.emulator.cognito;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Redirect URIs as Cognito treats them: registered ones must be absolute, without a fragment, and HTTPS unless they
 * point at {@code localhost} (custom schemes such as {@code myapp://cb} are allowed); a requested one is accepted
 * only if it is exactly, character for character, one of the registered ones — no prefix, case or trailing-slash
 * leniency, which is what open-redirect attacks on OAuth servers live on.
 */
public final class RedirectUris {

    private static final int MAX_LENGTH = 1024;

    private RedirectUris() {}

    /** Whether {@code requested} is one of {@code registered}; null never matches. */
    public static boolean matches(List<String> registered, String requested) {
        return requested != null && registered.contains(requested);
    }

    /** The origin a browser is sent to (for a CSP {@code form-action}); {@code scheme:} for custom schemes. */
    public static String origin(String uri) {
        URI parsed = URI.create(uri);
        if (parsed.getRawAuthority() == null) {
            return parsed.getScheme() + ":";
        }
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }

    static void requireRegistrable(String member, String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_LENGTH) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length between 1 and " + MAX_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CognitoException.invalidParameter("Invalid URL in " + member + ": " + url);
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null) {
            throw CognitoException.invalidParameter(
                    "Invalid URL in " + member + " (absolute, without a fragment): " + url);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if ("http".equals(scheme) && !"localhost".equalsIgnoreCase(uri.getHost())) {
            throw CognitoException.invalidParameter(
                    "Invalid URL in " + member + ": HTTPS is required, except for http://localhost: " + url);
        }
        if (("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() == null) {
            throw CognitoException.invalidParameter("Invalid URL in " + member + ": " + url);
        }
    }
}
