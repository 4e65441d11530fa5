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

    record SignedTokens(String idToken, String accessToken) {}

    private final Clock clock;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    SignedTokens issue(UserPool pool, RSAKey key, Subject subject, Session session) {
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
                .claim("scope", ACCESS_SCOPE)
                .claim("auth_time", authTime)
                .issueTime(iat)
                .expirationTime(exp)
                .claim("username", subject.username())
                .claim("event_id", session.eventId())
                .claim("origin_jti", session.originJti())
                .jwtID(UUID.randomUUID().toString());

        // Cognito leaves the claim out rather than sending an empty array.
        if (!subject.groups().isEmpty()) {
            id.claim("cognito:groups", subject.groups());
            access.claim("cognito:groups", subject.groups());
        }
        return new SignedTokens(sign(key, id.build()), sign(key, access.build()));
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
