package io.fleetprov.emulator.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Signs Cognito-shaped ID and access tokens with a pool's RSA key. */
final class TokenIssuer {

    static final Duration TOKEN_VALIDITY = Duration.ofHours(1);
    static final String ACCESS_SCOPE = "aws.cognito.signin.user.admin";
    // Cognito puts *_verified attributes into the ID token as JSON booleans, everything else as strings.
    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("email_verified", "phone_number_verified");

    /** Who the tokens are for, captured under the pool's lock so signing can happen outside it. */
    record Subject(String username, String sub, Map<String, String> attributes, List<String> groups) {}

    /** One authentication event; refreshes keep {@code eventId}, {@code originJti} and {@code authTime}. */
    record Session(String clientId, Instant authTime, String eventId, String originJti) {}

    /**
     * What the tokens of a sign-in grant: the access token's {@code scope}, and the ID token's {@code nonce} (hosted
     * UI only; null otherwise). Without {@code openid} in the scope there is no ID token, as at Cognito's hosted UI.
     */
    record Grant(String scope, String nonce) {

        /** InitiateAuth's tokens. */
        static final Grant API = new Grant(ACCESS_SCOPE, null);

        boolean idToken() {
            return this == API || java.util.Arrays.asList(scope.split(" ")).contains("openid");
        }

        /** A refresh repeats the scope; the nonce belonged to the authorization request only. */
        Grant forRefresh() {
            return this == API ? API : new Grant(scope, null);
        }
    }

    /** {@code idToken} is null when the grant has none. */
    record SignedTokens(String idToken, String accessToken) {}

    private final Clock clock;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    SignedTokens issue(UserPool pool, RSAKey key, Subject subject, Session session) {
        return issue(pool, key, subject, session, Grant.API);
    }

    SignedTokens issue(UserPool pool, RSAKey key, Subject subject, Session session, Grant grant) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Date iat = Date.from(now);
        Date exp = Date.from(now.plus(TOKEN_VALIDITY));
        long authTime = session.authTime().getEpochSecond();

        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .subject(subject.sub())
                .issuer(pool.issuer())
                .audience(session.clientId())
                .claim("token_use", "id")
                .claim("auth_time", authTime)
                .issueTime(iat)
                .expirationTime(exp)
                .claim("cognito:username", subject.username())
                .claim("event_id", session.eventId())
                .claim("origin_jti", session.originJti())
                .jwtID(UUID.randomUUID().toString());
        subject.attributes().forEach((name, value) -> {
            if (!"sub".equals(name)) {
                id.claim(name, BOOLEAN_ATTRIBUTES.contains(name) ? Boolean.valueOf(value) : value);
            }
        });

        JWTClaimsSet.Builder access = new JWTClaimsSet.Builder()
                .subject(subject.sub())
                .issuer(pool.issuer())
                .claim("client_id", session.clientId())
                .claim("token_use", "access")
                .claim("scope", grant.scope())
                .claim("auth_time", authTime)
                .issueTime(iat)
                .expirationTime(exp)
                .claim("username", subject.username())
                .claim("event_id", session.eventId())
                .claim("origin_jti", session.originJti())
                .jwtID(UUID.randomUUID().toString());

        if (grant.nonce() != null) {
            id.claim("nonce", grant.nonce());
        }
        // Cognito leaves the claim out rather than sending an empty array.
        if (!subject.groups().isEmpty()) {
            id.claim("cognito:groups", subject.groups());
            access.claim("cognito:groups", subject.groups());
        }
        return new SignedTokens(grant.idToken() ? sign(key, id.build()) : null, sign(key, access.build()));
    }

    /** The access token of a client-credentials grant: the client is the subject; there is no user. */
    String issueClientToken(UserPool pool, RSAKey key, String clientId, String scope) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(clientId)
                .issuer(pool.issuer())
                .claim("client_id", clientId)
                .claim("token_use", "access")
                .claim("scope", scope)
                .claim("auth_time", now.getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_VALIDITY)))
                .claim("version", 2)
                .jwtID(UUID.randomUUID().toString())
                .build();
        return sign(key, claims);
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
