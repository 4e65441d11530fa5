package io.fleetprov.emulator.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
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
    // The origin_jti of every sign-in ended by GlobalSignOut: its refresh token and the access tokens it issued.
    private final Set<String> revokedSignIns = ConcurrentHashMap.newKeySet();

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

    /**
     * As {@link #refresh}, for a caller that has already checked the client's secret itself (the hosted UI's token
     * endpoint authenticates the client, so no SECRET_HASH travels there).
     */
    AuthResult refreshForAuthenticatedClient(AppClient client, String refreshToken) {
        RefreshGrant grant = refreshGrants.get(RandomStrings.digest(refreshToken));
        String secretHash = grant == null || !client.hasSecret()
                ? null
                : SecretHash.of(client.clientSecret(), grant.username(), client.clientId());
        return refresh(client, refreshToken, secretHash);
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

    /**
     * New ID and access tokens of the refresh token's sign-in; no new refresh token, as Cognito without rotation.
     *
     * @param secretHash nullable; for a client with a secret, computed over the user's name or {@code sub} (Cognito
     *     accepts either here, since a client holding only a refresh token may know just the latter)
     */
    AuthResult refresh(AppClient client, String refreshToken, String secretHash) {
        RefreshGrant grant = refreshGrants.get(RandomStrings.digest(refreshToken));
        if (grant == null || !grant.session().clientId().equals(client.clientId())) {
            if (client.hasSecret() && secretHash == null) {
                SecretHash.check(client, null, secretHash);
            }
            throw CognitoException.notAuthorized("Invalid Refresh Token");
        }
        if (client.hasSecret()) {
            String sub = users.subject(grant.userPoolId(), grant.username()).sub();
            if (!SecretHash.matches(client, sub, secretHash)) {
                SecretHash.check(client, grant.username(), secretHash);
            }
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            refreshGrants.remove(RandomStrings.digest(refreshToken));
            throw CognitoException.notAuthorized("Refresh Token has expired");
        }
        if (revokedSignIns.contains(grant.session().originJti())) {
            throw CognitoException.notAuthorized("Refresh Token has been revoked");
        }
        TokenIssuer.SignedTokens signed = sign(grant.userPoolId(), grant.username(), grant.session(), grant.grant());
        return AuthResult.tokens(new AuthResult.Tokens(
                signed.accessToken(), signed.idToken(), null, (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(), "Bearer"));
    }

    /** The user an access token of this emulator was issued to, or Cognito's error for a token it would refuse. */
    AccessTokenHolder checkAccessToken(String accessToken) {
        if (accessToken == null) {
            throw CognitoException.invalidParameter("Missing required parameter AccessToken");
        }
        JWTClaimsSet claims;
        UserPool pool;
        try {
            SignedJWT jwt = SignedJWT.parse(accessToken);
            String issuer = jwt.getJWTClaimsSet().getIssuer();
            String poolId = issuer == null ? null : issuer.substring(issuer.lastIndexOf('/') + 1);
            pool = pools.findUserPool(poolId)
                    .filter(p -> p.issuer().equals(issuer))
                    .orElseThrow(TokenService::invalidAccessToken);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(
                            new RSASSAVerifier(signingKeys.keyFor(pool.id()).toRSAPublicKey()))) {
                throw invalidAccessToken();
            }
            claims = jwt.getJWTClaimsSet();
            if (!"access".equals(claims.getStringClaim("token_use"))) {
                throw invalidAccessToken();
            }
        } catch (ParseException | JOSEException e) {
            throw invalidAccessToken();
        }
        String username;
        String originJti;
        try {
            username = claims.getStringClaim("username");
            originJti = claims.getStringClaim("origin_jti");
        } catch (ParseException e) {
            throw invalidAccessToken();
        }
        Date expiry = claims.getExpirationTime();
        if (expiry == null || !clock.instant().isBefore(expiry.toInstant())) {
            throw CognitoException.notAuthorized("Access Token has expired");
        }
        if (originJti == null || revokedSignIns.contains(originJti)) {
            throw CognitoException.notAuthorized("Access Token has been revoked");
        }
        if (username == null || users.find(pool.id(), username).isEmpty()) {
            throw CognitoException.notAuthorized("User does not exist.");
        }
        return new AccessTokenHolder(pool.id(), username);
    }

    /** Ends every sign-in of the user: refresh tokens stop working, and so do the access tokens they issued. */
    void signOutEverywhere(String userPoolId, String username) {
        refreshGrants.values().stream()
                .filter(g -> g.userPoolId().equals(userPoolId) && g.username().equals(username))
                .forEach(g -> revokedSignIns.add(g.session().originJti()));
    }

    /** Whom a valid access token speaks for. */
    record AccessTokenHolder(String userPoolId, String username) {}

    private static CognitoException invalidAccessToken() {
        return CognitoException.notAuthorized("Invalid Access Token");
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
