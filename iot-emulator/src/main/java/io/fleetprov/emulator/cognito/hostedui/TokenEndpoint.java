package io.fleetprov.emulator.cognito.hostedui;

import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.AuthResult;
import io.fleetprov.emulator.cognito.CognitoException;
import io.fleetprov.emulator.cognito.OAuthGrants;
import io.fleetprov.emulator.cognito.OAuthSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code POST /oauth2/token}: the authorization-code, refresh-token and client-credentials grants. */
final class TokenEndpoint {

    private final OAuthGrants grants;
    private final AuthorizationCodes codes;

    TokenEndpoint(OAuthGrants grants, AuthorizationCodes codes) {
        this.grants = grants;
        this.codes = codes;
    }

    /**
     * @return the JSON members of the token response
     * @throws OAuthError for every refusal
     */
    Map<String, Object> token(String authorization, Map<String, String> form) {
        ClientAuthentication.Caller caller = ClientAuthentication.authenticate(authorization, form, grants);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is required.");
        }
        AuthResult.Tokens tokens = switch (grantType) {
            case "authorization_code" -> authorizationCode(caller.client(), form);
            case "refresh_token" -> refreshToken(caller.client(), form);
            case "client_credentials" -> clientCredentials(caller, form);
            default -> throw OAuthError.unsupportedGrantType("grant_type " + grantType + " is not supported.");
        };
        Map<String, Object> body = new LinkedHashMap<>();
        if (tokens.idToken() != null) {
            body.put("id_token", tokens.idToken());
        }
        body.put("access_token", tokens.accessToken());
        if (tokens.refreshToken() != null) {
            body.put("refresh_token", tokens.refreshToken());
        }
        body.put("expires_in", tokens.expiresIn());
        body.put("token_type", tokens.tokenType());
        return body;
    }

    private AuthResult.Tokens authorizationCode(AppClient client, Map<String, String> form) {
        if (!client.oauth().allows(OAuthSettings.CODE)) {
            throw OAuthError.unauthorizedClient("The app client is not allowed the code flow.");
        }
        String code = required(form, "code");
        String redirectUri = required(form, "redirect_uri");
        AuthorizationCodes.Grant grant = codes.redeem(code, client.clientId(), redirectUri, form.get("code_verifier"));
        try {
            return grants.codeTokens(client, grant.username(), grant.authTime(), grant.scope(), grant.nonce());
        } catch (CognitoException e) {
            // The user was deleted between sign-in and redemption.
            throw OAuthError.invalidGrant("The user of this code no longer exists.");
        }
    }

    private AuthResult.Tokens refreshToken(AppClient client, Map<String, String> form) {
        String refreshToken = required(form, "refresh_token");
        try {
            return grants.refresh(client, refreshToken);
        } catch (CognitoException e) {
            throw OAuthError.invalidGrant(e.getMessage());
        }
    }

    private AuthResult.Tokens clientCredentials(ClientAuthentication.Caller caller, Map<String, String> form) {
        AppClient client = caller.client();
        if (!caller.confidential() || !client.oauth().allows(OAuthSettings.CLIENT_CREDENTIALS)) {
            throw OAuthError.unauthorizedClient("The app client is not allowed the client_credentials flow.");
        }
        // Only resource-server scopes make sense without a user; Cognito grants all allowed ones by default.
        Set<String> allowed = new LinkedHashSet<>();
        client.oauth().allowedOAuthScopes().stream()
                .filter(s -> !OAuthSettings.STANDARD_SCOPES.contains(s))
                .sorted()
                .forEach(allowed::add);
        String requested = form.get("scope");
        Set<String> scopes = requested == null || requested.isBlank()
                ? allowed
                : new LinkedHashSet<>(Arrays.asList(requested.trim().split(" +")));
        if (scopes.isEmpty() || !allowed.containsAll(scopes)) {
            throw OAuthError.invalidScope("Requested scopes are not allowed for this client.");
        }
        return grants.clientCredentials(client, String.join(" ", scopes));
    }

    /** {@code POST /oauth2/revoke}: ends a refresh token of the calling client (RFC 7009: 200 whatever it was). */
    void revoke(String authorization, Map<String, String> form) {
        ClientAuthentication.Caller caller = ClientAuthentication.authenticate(authorization, form, grants);
        grants.revoke(caller.client(), required(form, "token"));
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthError.invalidRequest(name + " is required.");
        }
        return value;
    }
}
