package io.fleetprov.emulator.cognito;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the hosted UI's OAuth 2.0 endpoints need from the user pools: signing users in through the same
 * {@link Authentication} as InitiateAuth, the tokens of the code, refresh and client-credentials grants (same keys,
 * issuer and claims as InitiateAuth's, with the granted {@code scope}), and reading an access token back for
 * userInfo. Thread-safe.
 */
public final class OAuthGrants {

    /** The outcome of the hosted UI's password step: signed in, or a NEW_PASSWORD_REQUIRED challenge to answer. */
    public record SignIn(String username, String newPasswordSession) {

        public boolean newPasswordRequired() {
            return newPasswordSession != null;
        }
    }

    /** The user an access token is for, and what it may see. */
    public record TokenOwner(String userPoolId, String clientId, String username, String scope) {}

    private final UserPools pools;
    private final UserDirectory users;
    private final Authentication authentication;
    private final TokenService tokens;
    private final SigningKeyStore signingKeys;
    private final Clock clock;

    OAuthGrants(
            UserPools pools,
            UserDirectory users,
            Authentication authentication,
            TokenService tokens,
            SigningKeyStore signingKeys,
            Clock clock) {
        this.pools = pools;
        this.users = users;
        this.authentication = authentication;
        this.tokens = tokens;
        this.signingKeys = signingKeys;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Optional<AppClient> client(String clientId) {
        return pools.findAppClient(clientId);
    }

    /**
     * Checks a password as InitiateAuth does.
     *
     * @throws CognitoException NotAuthorizedException for a wrong password or an expired temporary one
     */
    public SignIn signIn(AppClient client, String username, String password) {
        return outcome(client, username, authentication.hostedUiSignIn(client, username, password));
    }

    /**
     * Answers NEW_PASSWORD_REQUIRED as RespondToAuthChallenge does.
     *
     * @throws CognitoException InvalidPasswordException for a password against the policy (the session is then used
     *     up, as in Cognito), NotAuthorizedException for a bad session
     */
    public SignIn setNewPassword(AppClient client, String session, String username, String newPassword) {
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("USERNAME", username);
        responses.put("NEW_PASSWORD", newPassword);
        return outcome(
                client,
                username,
                authentication.respondToAuthChallenge(
                        client.clientId(), AuthResult.NEW_PASSWORD_REQUIRED, session, responses));
    }

    private SignIn outcome(AppClient client, String username, AuthResult result) {
        if (result.isChallenge()) {
            if (!AuthResult.NEW_PASSWORD_REQUIRED.equals(result.challengeName())) {
                throw new IllegalStateException("unexpected challenge " + result.challengeName());
            }
            return new SignIn(username, result.session());
        }
        // The hosted UI hands out its own tokens (with the OAuth scopes) for the code; the API's are never sent, so
        // their refresh token is ended at once rather than left valid for 30 days.
        tokens.revoke(client, result.tokens().refreshToken());
        return new SignIn(username, null);
    }

    /** ID (if {@code openid} is in scope), access and refresh token of an authorization code. */
    public AuthResult.Tokens codeTokens(
            AppClient client, String username, Instant authTime, String scope, String nonce) {
        return tokens.signIn(client, username, authTime, new TokenIssuer.Grant(scope, nonce));
    }

    /**
     * New tokens for a refresh token of this client, hosted-UI's or InitiateAuth's alike.
     *
     * @throws CognitoException NotAuthorizedException for an unknown, foreign or expired refresh token
     */
    public AuthResult.Tokens refresh(AppClient client, String refreshToken) {
        return tokens.refresh(client, refreshToken).tokens();
    }

    public AuthResult.Tokens clientCredentials(AppClient client, String scope) {
        return tokens.clientToken(client, scope);
    }

    public void revoke(AppClient client, String refreshToken) {
        tokens.revoke(client, refreshToken);
    }

    /**
     * The owner of a valid user access token of one of the emulator's pools: signature by the pool's key, issuer,
     * expiry, {@code token_use}, and a user that still exists.
     *
     * @return empty for anything else
     */
    public Optional<TokenOwner> accessTokenOwner(String accessToken) {
        try {
            SignedJWT jwt = SignedJWT.parse(accessToken);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String issuer = claims.getIssuer();
            if (issuer == null || !JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            String poolId = issuer.substring(issuer.lastIndexOf('/') + 1);
            Optional<UserPool> pool = pools.findUserPool(poolId);
            if (pool.isEmpty() || !pool.get().issuer().equals(issuer)) {
                return Optional.empty();
            }
            if (!jwt.verify(new RSASSAVerifier(signingKeys.keyFor(poolId).toRSAPublicKey()))) {
                return Optional.empty();
            }
            Date exp = claims.getExpirationTime();
            String username = claims.getStringClaim("username");
            if (exp == null
                    || !clock.instant().isBefore(exp.toInstant())
                    || !"access".equals(claims.getStringClaim("token_use"))
                    || username == null) {
                return Optional.empty();
            }
            users.subject(poolId, username); // a deleted user's tokens stop working here
            return Optional.of(new TokenOwner(
                    poolId, claims.getStringClaim("client_id"), username, claims.getStringClaim("scope")));
        } catch (ParseException | JOSEException | CognitoException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The user's attributes, current (not as at sign-in), with {@code username}. */
    public Map<String, String> attributes(TokenOwner owner) {
        TokenIssuer.Subject subject = users.subject(owner.userPoolId(), owner.username());
        Map<String, String> attributes = new LinkedHashMap<>(subject.attributes());
        attributes.put("sub", subject.sub());
        attributes.put("username", subject.username());
        return attributes;
    }
}
