package io.fleetprov.emulator.cognito.hostedui;

import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.OAuthGrants;
import io.fleetprov.emulator.cognito.OAuthSettings;
import io.fleetprov.emulator.cognito.RedirectUris;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A checked {@code /oauth2/authorize} (and {@code /login}) request. Errors before the redirect URI is known to be
 * the client's are shown on an error page and never redirected (RFC 6749 §4.1.2.1) — an unregistered redirect URI
 * is Cognito's {@code redirect_mismatch}; later errors go back to the client's redirect URI.
 *
 * @param scope the granted scopes, space-separated; all the client's allowed scopes when the request names none
 * @param prompt nullable; {@code login} forces the form, {@code none} forbids it
 */
record AuthorizeRequest(
        AppClient client,
        String redirectUri,
        String scope,
        String state,
        String nonce,
        String codeChallenge,
        String prompt) {

    private static final int MAX_PARAM_LENGTH = 2048;

    /** An authorization request that cannot be answered with a code. */
    static final class Invalid extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** Null when the error must not be redirected. */
        private final String redirectUri;

        private final String error;
        private final String state;

        Invalid(String error, String description, String redirectUri, String state) {
            super(description);
            this.error = error;
            this.redirectUri = redirectUri;
            this.state = state;
        }

        String error() {
            return error;
        }

        boolean redirectable() {
            return redirectUri != null;
        }

        /** The client's redirect URI with {@code error}, {@code error_description} and {@code state}. */
        String redirect() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("error", error);
            params.put("error_description", getMessage());
            params.put("state", state);
            return UrlEncodedParams.withParams(redirectUri, params);
        }
    }

    static AuthorizeRequest parse(Map<String, String> params, OAuthGrants grants) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue().length() > MAX_PARAM_LENGTH) {
                throw new Invalid("invalid_request", e.getKey() + " is too long", null, null);
            }
        }
        String clientId = params.get("client_id");
        AppClient client = grants.client(clientId)
                .orElseThrow(() -> new Invalid("invalid_request", "Invalid client_id.", null, null));
        String redirectUri = params.get("redirect_uri");
        if (!RedirectUris.matches(client.oauth().callbackUrls(), redirectUri)) {
            throw new Invalid(
                    "redirect_mismatch", "redirect_uri is not one of the app client's CallbackURLs.", null, null);
        }
        String state = params.get("state");
        if (!"code".equals(params.get("response_type"))) {
            throw new Invalid(
                    params.get("response_type") == null ? "invalid_request" : "unsupported_response_type",
                    "response_type must be code.",
                    redirectUri,
                    state);
        }
        OAuthSettings oauth = client.oauth();
        if (!oauth.allows(OAuthSettings.CODE)) {
            throw new Invalid(
                    "unauthorized_client", "The app client is not allowed the code flow.", redirectUri, state);
        }
        if (!oauth.signInWithCognito()) {
            throw new Invalid(
                    "invalid_request",
                    "The app client does not list COGNITO in SupportedIdentityProviders.",
                    redirectUri,
                    state);
        }
        String scope = grantedScope(params.get("scope"), oauth.allowedOAuthScopes(), redirectUri, state);
        String challenge = params.get("code_challenge");
        String method = params.get("code_challenge_method");
        if (challenge != null || method != null) {
            if (!Pkce.S256.equals(method)) {
                throw new Invalid("invalid_request", "code_challenge_method must be S256.", redirectUri, state);
            }
            if (!Pkce.isWellFormedChallenge(challenge)) {
                throw new Invalid(
                        "invalid_request",
                        "code_challenge must be a base64url SHA-256 digest (43 characters).",
                        redirectUri,
                        state);
            }
        }
        String prompt = params.get("prompt");
        if (prompt != null && !prompt.equals("login") && !prompt.equals("none")) {
            throw new Invalid("invalid_request", "prompt must be login or none.", redirectUri, state);
        }
        return new AuthorizeRequest(client, redirectUri, scope, state, params.get("nonce"), challenge, prompt);
    }

    private static String grantedScope(String requested, Set<String> allowed, String redirectUri, String state) {
        if (requested == null || requested.isBlank()) {
            return String.join(" ", allowed.stream().sorted().toList());
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(requested.trim().split(" +")));
        for (String scope : scopes) {
            if (!allowed.contains(scope)) {
                throw new Invalid(
                        "invalid_scope", "Scope " + scope + " is not allowed for this client.", redirectUri, state);
            }
        }
        return String.join(" ", scopes);
    }

    /** The client's redirect URI with the code and state. */
    String codeRedirect(String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", state);
        return UrlEncodedParams.withParams(redirectUri, params);
    }

    Invalid error(String error, String description) {
        return new Invalid(error, description, redirectUri, state);
    }
}
