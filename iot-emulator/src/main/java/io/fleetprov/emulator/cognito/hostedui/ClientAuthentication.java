package io.fleetprov.emulator.cognito.hostedui;

import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.OAuthGrants;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling the token or revoke endpoint: a client with a secret authenticates with HTTP Basic
 * ({@code client_secret_basic}) or {@code client_secret} in the body ({@code client_secret_post}), as Cognito accepts
 * both; a public client names itself with {@code client_id} and must not send a secret.
 */
final class ClientAuthentication {

    private ClientAuthentication() {}

    /** @return the authenticated client; {@code confidential()} tells whether a secret was checked */
    record Caller(AppClient client, boolean confidential) {}

    /**
     * @param authorization the Authorization header, nullable
     * @throws OAuthError invalid_client (401) or invalid_request
     */
    static Caller authenticate(String authorization, Map<String, String> form, OAuthGrants grants) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (secret != null) {
                throw OAuthError.invalidRequest("Use one client authentication method, not two.");
            }
            String[] basic = basic(authorization.substring(6).trim());
            if (id != null && !id.equals(basic[0])) {
                throw OAuthError.invalidClient("client_id does not match the Authorization header.");
            }
            id = basic[0];
            secret = basic[1];
        }
        if (id == null || id.isEmpty()) {
            throw OAuthError.invalidClient("Client authentication is required.");
        }
        AppClient client =
                grants.client(id).orElseThrow(() -> OAuthError.invalidClient("Client authentication failed."));
        Optional<String> expected = secretOf(client);
        if (expected.isEmpty()) {
            if (secret != null && !secret.isEmpty()) {
                throw OAuthError.invalidClient("Client authentication failed: the client has no secret.");
            }
            return new Caller(client, false);
        }
        if (!OpaqueValues.same(expected.get(), secret)) {
            throw OAuthError.invalidClient("Client authentication failed.");
        }
        return new Caller(client, true);
    }

    /** The client's secret, if it has one. */
    static Optional<String> secretOf(AppClient client) {
        // App clients have no secret until GenerateSecret is implemented.
        return Optional.empty();
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined with ':' and base64-encoded. */
    private static String[] basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("Malformed Basic authorization.");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidClient("Malformed Basic authorization.");
        }
        try {
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("Malformed Basic authorization.");
        }
    }
}
