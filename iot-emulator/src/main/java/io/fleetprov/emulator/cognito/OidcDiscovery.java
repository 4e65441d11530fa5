package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenID Connect discovery document of a pool, shaped like Cognito's. */
public final class OidcDiscovery {

    private final UserPools pools;
    private final ObjectMapper mapper;
    private final String issuerBaseUrl;

    OidcDiscovery(UserPools pools, ObjectMapper mapper, String issuerBaseUrl) {
        this.pools = pools;
        this.mapper = mapper;
        this.issuerBaseUrl = issuerBaseUrl;
    }

    /** {@code /<userPoolId>/.well-known/openid-configuration}. */
    public String document(String userPoolId) {
        UserPool pool = pools.pool(userPoolId);
        String issuer = pool.issuer();
        // Cognito serves the OAuth endpoints from the pool's hosted-UI domain; the emulator serves the hosted UI of
        // every pool on its base URL (the app client id tells the pools apart).
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/.well-known/jwks.json");
        doc.put("authorization_endpoint", issuerBaseUrl + "/oauth2/authorize");
        doc.put("token_endpoint", issuerBaseUrl + "/oauth2/token");
        doc.put("userinfo_endpoint", issuerBaseUrl + "/oauth2/userInfo");
        doc.put("end_session_endpoint", issuerBaseUrl + "/logout");
        doc.put("revocation_endpoint", issuerBaseUrl + "/oauth2/revoke");
        // Only the code flow is implemented (the implicit flow is deprecated by OAuth 2.1 anyway).
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("scopes_supported", List.of("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"));
        doc.put(
                "claims_supported",
                List.of(
                        "sub",
                        "iss",
                        "aud",
                        "exp",
                        "iat",
                        "auth_time",
                        "token_use",
                        "cognito:username",
                        "cognito:groups",
                        "email",
                        "email_verified",
                        "phone_number",
                        "phone_number_verified",
                        "name",
                        "event_id",
                        "origin_jti",
                        "jti"));
        try {
            return mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
