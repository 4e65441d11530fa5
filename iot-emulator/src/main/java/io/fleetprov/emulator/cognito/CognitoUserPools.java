package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The emulator's Cognito subset, wired together: {@link #pools()} (user pools and app clients), {@link #users()}
 * (users, groups, passwords), {@link #authentication()} (InitiateAuth flows and challenges), {@link #tokens()}
 * (issuing and renewing tokens, JWKS), {@link #discovery()} (OIDC discovery) and {@link #oauth()} (the hosted
 * UI's grants). Thread-safe.
 */
public final class CognitoUserPools {

    public static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private final UserPools pools;
    private final UserDirectory users;
    private final TokenService tokens;
    private final Authentication authentication;
    private final OidcDiscovery discovery;
    private final OAuthGrants oauth;

    /**
     * @param dataDir nullable: signing keys then live only in memory; otherwise one key per pool is kept in
     *                {@code dataDir/cognito/} so tokens stay valid across restarts
     * @param issuerBaseUrl e.g. {@code http://localhost:4566}; {@code iss = issuerBaseUrl + "/" + userPoolId}
     */
    public CognitoUserPools(Path dataDir, String issuerBaseUrl, Clock clock) {
        this(dataDir, issuerBaseUrl, clock, DEFAULT_REGION);
    }

    public CognitoUserPools(Path dataDir, String issuerBaseUrl, Clock clock, String region) {
        Objects.requireNonNull(issuerBaseUrl, "issuerBaseUrl");
        if (!REGION.matcher(Objects.requireNonNull(region, "region")).matches()) {
            throw new IllegalArgumentException("not an AWS region name: " + region);
        }
        Objects.requireNonNull(clock, "clock");
        String baseUrl =
                issuerBaseUrl.endsWith("/") ? issuerBaseUrl.substring(0, issuerBaseUrl.length() - 1) : issuerBaseUrl;
        SecureRandom secureRandom = new SecureRandom();
        RandomStrings random = new RandomStrings(secureRandom);
        SigningKeyStore signingKeys = new SigningKeyStore(dataDir);
        this.pools = new UserPools(baseUrl, region, clock, random, signingKeys);
        this.users = new UserDirectory(pools, clock, random, new PasswordHasher(secureRandom));
        this.tokens = new TokenService(pools, users, signingKeys, clock, random);
        NewPasswordChallenge newPassword =
                new NewPasswordChallenge(users, new ChallengeSessions(clock, random), tokens);
        this.authentication = new Authentication(
                pools,
                List.of(new UserPasswordAuthFlow(users, newPassword, tokens, clock), new RefreshTokenAuthFlow(tokens)),
                List.of(newPassword));
        this.discovery = new OidcDiscovery(pools, new ObjectMapper(), baseUrl);
        this.oauth = new OAuthGrants(pools, users, authentication, tokens, signingKeys, clock);
    }

    public UserPools pools() {
        return pools;
    }

    public UserDirectory users() {
        return users;
    }

    public Authentication authentication() {
        return authentication;
    }

    public TokenService tokens() {
        return tokens;
    }

    public OidcDiscovery discovery() {
        return discovery;
    }

    /** What the hosted UI's OAuth 2.0 endpoints use. */
    public OAuthGrants oauth() {
        return oauth;
    }
}
