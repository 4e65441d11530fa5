package io.fleetprov.emulator.provisioning;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which hook URLs may receive the configured hook headers. A provisioning template names its own hook URL, and
 * anyone allowed to create templates could name one they own; the headers carry a shared secret, so they go only
 * to URLs under one of the configured prefixes. No prefix keeps the headers on every URL (the local default, where
 * the only API user is the developer).
 *
 * <p>Prefixes are compared as URLs, not as strings: scheme, host and port must be equal, and the path must
 * continue the prefix's path at a segment boundary. So {@code http://claims:8080/v1/hooks} covers
 * {@code http://claims:8080/v1/hooks/pre-provisioning} but neither {@code http://claims:8080.evil.example/v1/hooks}
 * nor {@code http://claims:8080/v1/hooks-evil}, and a URL with user info never matches.
 */
public final class HookUrlScope {

    private final List<URI> prefixes;

    public HookUrlScope(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(HookUrlScope::parse).toList();
    }

    /** @throws IllegalArgumentException unless {@code prefix} is an absolute http(s) URL with a host */
    public static void validatePrefix(String prefix) {
        parse(prefix);
    }

    /** Whether the hook headers may be sent to {@code target}. */
    public boolean allows(String target) {
        if (prefixes.isEmpty()) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(target).normalize();
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        return prefixes.stream().anyMatch(prefix -> covers(prefix, uri));
    }

    private static boolean covers(URI prefix, URI target) {
        if (!prefix.getScheme().equalsIgnoreCase(target.getScheme())
                || !prefix.getHost().equalsIgnoreCase(target.getHost())
                || port(prefix) != port(target)) {
            return false;
        }
        String base = rawPath(prefix);
        String path = rawPath(target);
        if (base.endsWith("/")) {
            return path.startsWith(base);
        }
        return path.equals(base) || path.startsWith(base + "/");
    }

    private static String rawPath(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private static URI parse(String prefix) {
        URI uri;
        try {
            uri = new URI(prefix).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("hook header URL " + prefix + " is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("hook header URL " + prefix + " must be an http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "hook header URL " + prefix + " must have no user info, query or fragment");
        }
        return uri;
    }
}
