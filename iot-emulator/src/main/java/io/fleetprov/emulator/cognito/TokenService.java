package io.fleetprov.emulator.cognito;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues the tokens of a sign-in (ID, access and refresh token), renews them from a refresh token, and publishes the
 * keys they verify with (JWKS). Thread-safe.
 */
public final class TokenService {

    /** Cognito's default refresh-token lifetime. */
    static final Duration REFRESH_TOKEN_VALIDITY = Duration.ofDays(30);

    private final UserPools pools;
    private final UserDirectory users;
    private final SigningKeyStore signingKeys;
    private final TokenIssuer issuer;
    private final Clock clock;
    private final RandomStrings random;
    // Keyed by a digest of the opaque token, so the live tokens themselves are not kept in memory.
    private final Map<String, RefreshGrant> refreshGrants = new ConcurrentHashMap<>();

    TokenService(UserPools pools, UserDirectory users, SigningKeyStore signingKeys, Clock clock, RandomStrings random) {
        this.pools = pools;
        this.users = users;
        this.signingKeys = signingKeys;
        this.issuer = new TokenIssuer(clock);
        this.clock = clock;
        this.random = random;
    }

    /** The JSON Web Key Set of a pool: its public signing key. */
    public String jwks(String userPoolId) {
        pools.pool(userPoolId);
        return new JWKSet(signingKeys.keyFor(userPoolId).toPublicJWK()).toString();
    }

    /** The tokens of a successful authentication, with a refresh token that renews them. */
    AuthResult signIn(AppClient client, String username) {
        return AuthResult.tokens(signIn(client, username, clock.instant(), TokenIssuer.Grant.API));
    }

    /** The tokens of a sign-in at {@code authTime} with what {@code grant} says, and a refresh token. */
    AuthResult.Tokens signIn(AppClient client, String username, Instant authTime, TokenIssuer.Grant grant) {
        Instant now = clock.instant();
        TokenIssuer.Session session = new TokenIssuer.Session(
                client.clientId(),
                authTime,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        TokenIssuer.SignedTokens signed = sign(client.userPoolId(), username, session, grant);
        String refreshToken = random.token(192);
        refreshGrants.put(
                RandomStrings.digest(refreshToken),
                new RefreshGrant(
                        client.userPoolId(), username, session, grant.forRefresh(), now.plus(REFRESH_TOKEN_VALIDITY)));
        return new AuthResult.Tokens(
                signed.accessToken(),
                signed.idToken(),
                refreshToken,
                (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(),
                "Bearer");
    }

    /** An access token for the client itself (client_credentials), without a refresh token. */
    AuthResult.Tokens clientToken(AppClient client, String scope) {
        UserPool pool = pools.pool(client.userPoolId());
        String token = issuer.issueClientToken(pool, signingKeys.keyFor(client.userPoolId()), client.clientId(), scope);
        return new AuthResult.Tokens(token, null, null, (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(), "Bearer");
    }

    /** Ends a refresh token of this client (hosted UI's revoke); unknown or foreign tokens are left alone. */
    void revoke(AppClient client, String refreshToken) {
        String key = RandomStrings.digest(refreshToken);
        RefreshGrant grant = refreshGrants.get(key);
        if (grant != null && grant.session().clientId().equals(client.clientId())) {
            refreshGrants.remove(key, grant);
        }
    }

    /** New ID and access tokens of the refresh token's sign-in; no new refresh token, as Cognito without rotation. */
    AuthResult refresh(AppClient client, String refreshToken) {
        RefreshGrant grant = refreshGrants.get(RandomStrings.digest(refreshToken));
        if (grant == null || !grant.session().clientId().equals(client.clientId())) {
            throw CognitoException.notAuthorized("Invalid Refresh Token");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            refreshGrants.remove(RandomStrings.digest(refreshToken));
            throw CognitoException.notAuthorized("Refresh Token has expired");
        }
        TokenIssuer.SignedTokens signed = sign(grant.userPoolId(), grant.username(), grant.session(), grant.grant());
        return AuthResult.tokens(new AuthResult.Tokens(
                signed.accessToken(), signed.idToken(), null, (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(), "Bearer"));
    }

    private TokenIssuer.SignedTokens sign(
            String userPoolId, String username, TokenIssuer.Session session, TokenIssuer.Grant grant) {
        UserPool pool = pools.pool(userPoolId);
        // The subject is read under the pool's lock and signed outside it.
        TokenIssuer.Subject subject = users.subject(userPoolId, username);
        return issuer.issue(pool, signingKeys.keyFor(userPoolId), subject, session, grant);
    }

    private record RefreshGrant(
            String userPoolId,
            String username,
            TokenIssuer.Session session,
            TokenIssuer.Grant grant,
            Instant expiresAt) {}
}
