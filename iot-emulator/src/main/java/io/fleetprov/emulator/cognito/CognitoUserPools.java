package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** State and logic: user pools, app clients, users, groups, token issuance. Thread-safe. */
public final class CognitoUserPools {

    public static final String DEFAULT_REGION = "us-east-1";
    /** Cognito's default refresh-token lifetime. */
    static final Duration REFRESH_TOKEN_VALIDITY = Duration.ofDays(30);
    /** Cognito's default {@code TemporaryPasswordValidityDays}. */
    static final Duration TEMPORARY_PASSWORD_VALIDITY = Duration.ofDays(7);
    /** Cognito's auth-session lifetime for answering a challenge. */
    static final Duration CHALLENGE_SESSION_VALIDITY = Duration.ofMinutes(3);

    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 256;
    // Emulated resources belong to an account that cannot exist in AWS, so ARNs never collide with real ones.
    static final String ACCOUNT_ID = "000000000000";

    private static final Pattern USER_POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\w+]+");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern CLIENT_NAME = Pattern.compile("[\\w\\s+=,.@-]+");
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String INCORRECT_CREDENTIALS = "Incorrect username or password.";

    private final String issuerBaseUrl;
    private final Clock clock;
    private final String region;
    private final SecureRandom random = new SecureRandom();
    private final PasswordHasher hasher = new PasswordHasher(random);
    private final SigningKeyStore signingKeys;
    private final TokenIssuer tokenIssuer;
    private final OidcDiscovery discovery;

    private final Map<String, PoolState> pools = new ConcurrentHashMap<>();
    private final Map<String, AppClient> clients = new ConcurrentHashMap<>();
    // Keyed by a SHA-256 of the opaque token, so the live tokens themselves are not kept in memory.
    private final Map<String, RefreshGrant> refreshGrants = new ConcurrentHashMap<>();
    private final Map<String, ChallengeSession> challengeSessions = new ConcurrentHashMap<>();

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
        this.issuerBaseUrl =
                issuerBaseUrl.endsWith("/") ? issuerBaseUrl.substring(0, issuerBaseUrl.length() - 1) : issuerBaseUrl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.region = region;
        this.signingKeys = new SigningKeyStore(dataDir);
        this.tokenIssuer = new TokenIssuer(clock);
        this.discovery = new OidcDiscovery(new ObjectMapper(), this.issuerBaseUrl);
    }

    // ---- pools and clients -------------------------------------------------------------------------------

    public UserPool createUserPool(String poolName) {
        while (true) {
            String id = region + "_" + randomString(ALNUM, 9);
            if (!pools.containsKey(id)) {
                return createUserPool(id, poolName);
            }
        }
    }

    /** Creates a pool with a fixed id, as seed files need; the id follows Cognito's {@code region_suffix} pattern. */
    public UserPool createUserPool(String userPoolId, String poolName) {
        requireMatch("userPoolId", userPoolId, USER_POOL_ID, 1, 55);
        requireLength("poolName", poolName, 1, 128);
        Instant now = clock.instant();
        String poolRegion = userPoolId.substring(0, userPoolId.indexOf('_'));
        UserPool pool = new UserPool(
                userPoolId,
                poolName,
                "arn:aws:cognito-idp:" + poolRegion + ":" + ACCOUNT_ID + ":userpool/" + userPoolId,
                issuerBaseUrl + "/" + userPoolId,
                now);
        PoolState state = new PoolState(pool);
        if (pools.putIfAbsent(userPoolId, state) != null) {
            throw CognitoException.invalidParameter("User pool " + userPoolId + " already exists.");
        }
        // Created eagerly so that a persisted key is picked up, or a new one written, before any token is issued.
        signingKeys.keyFor(userPoolId);
        return pool;
    }

    public Optional<UserPool> findUserPool(String userPoolId) {
        return Optional.ofNullable(userPoolId == null ? null : pools.get(userPoolId))
                .map(PoolState::pool);
    }

    /** All pools, by id; for listing endpoints to users (endpoints.json). */
    public java.util.List<UserPool> userPools() {
        return pools.values().stream()
                .map(PoolState::pool)
                .sorted(java.util.Comparator.comparing(UserPool::id))
                .toList();
    }

    /** The app clients of a pool, by client id. */
    public java.util.List<AppClient> appClients(String userPoolId) {
        return clients.values().stream()
                .filter(c -> c.userPoolId().equals(userPoolId))
                .sorted(java.util.Comparator.comparing(AppClient::clientId))
                .toList();
    }

    public AppClient createAppClient(String userPoolId, String clientName) {
        return createAppClient(userPoolId, null, clientName, AppClient.DEFAULT_AUTH_FLOWS);
    }

    public AppClient createAppClient(String userPoolId, String clientId, String clientName) {
        return createAppClient(userPoolId, clientId, clientName, AppClient.DEFAULT_AUTH_FLOWS);
    }

    /** @param clientId nullable: a random 26-character lowercase alphanumeric id, like Cognito's */
    public AppClient createAppClient(
            String userPoolId, String clientId, String clientName, Set<String> explicitAuthFlows) {
        pool(userPoolId);
        requireMatch("clientName", clientName, CLIENT_NAME, 1, 128);
        if (clientId != null) {
            requireMatch("clientId", clientId, CLIENT_ID, 1, 128);
        }
        AppClient client;
        do {
            String id = clientId != null ? clientId : randomString(LOWER_ALNUM, 26);
            client = new AppClient(id, clientName, userPoolId, explicitAuthFlows, clock.instant());
            if (clients.putIfAbsent(id, client) == null) {
                return client;
            }
        } while (clientId == null);
        throw CognitoException.invalidParameter("User pool client " + clientId + " already exists.");
    }

    // ---- users and groups --------------------------------------------------------------------------------

    /**
     * Creates a user in {@code FORCE_CHANGE_PASSWORD}. Without a temporary password one is generated, as Cognito
     * does; since the emulator sends no invitations, such a user can only sign in after AdminSetUserPassword.
     */
    public CognitoUser adminCreateUser(
            String userPoolId, String username, String temporaryPassword, Map<String, String> attributes) {
        PoolState state = pool(userPoolId);
        requireMatch("username", username, USERNAME, 1, 128);
        Map<String, String> attrs = new LinkedHashMap<>(attributes == null ? Map.of() : attributes);
        attrs.forEach((name, value) -> {
            requireLength("userAttributes.name", name, 1, 32);
            if (value == null) {
                throw CognitoException.invalidParameter("Attribute value for " + name + " must not be null.");
            }
        });
        if (attrs.containsKey("sub")) {
            throw CognitoException.invalidParameter("Cannot modify an immutable attribute: sub");
        }
        char[] password = temporaryPassword != null ? temporaryPassword.toCharArray() : generatePassword();
        checkPasswordPolicy(password);
        String hash = hasher.hash(password);
        Instant now = clock.instant();
        synchronized (state) {
            if (state.users.containsKey(username)) {
                throw CognitoException.usernameExists();
            }
            String sub = UUID.randomUUID().toString();
            Map<String, String> withSub = new LinkedHashMap<>();
            withSub.put("sub", sub);
            withSub.putAll(attrs);
            StoredUser user = new StoredUser(
                    username,
                    sub,
                    Map.copyOf(withSub),
                    hash,
                    UserStatus.FORCE_CHANGE_PASSWORD,
                    now,
                    now,
                    now,
                    new LinkedHashSet<>());
            state.users.put(username, user);
            return user.view();
        }
    }

    public CognitoUser adminGetUser(String userPoolId, String username) {
        PoolState state = pool(userPoolId);
        synchronized (state) {
            return user(state, username).view();
        }
    }

    public void adminSetUserPassword(String userPoolId, String username, String password, boolean permanent) {
        PoolState state = pool(userPoolId);
        if (password == null) {
            throw CognitoException.invalidParameter("Missing required parameter Password");
        }
        char[] chars = password.toCharArray();
        checkPasswordPolicy(chars);
        synchronized (state) {
            user(state, username); // fail before the expensive hash
        }
        String hash = hasher.hash(chars);
        setPassword(state, username, hash, permanent ? UserStatus.CONFIRMED : UserStatus.FORCE_CHANGE_PASSWORD);
    }

    public Group createGroup(String userPoolId, String groupName) {
        return createGroup(userPoolId, groupName, null, null);
    }

    public Group createGroup(String userPoolId, String groupName, String description, Integer precedence) {
        PoolState state = pool(userPoolId);
        requireMatch("groupName", groupName, USERNAME, 1, 128);
        if (description != null && description.length() > 2048) {
            throw CognitoException.invalidParameter("Description must be at most 2048 characters.");
        }
        if (precedence != null && precedence < 0) {
            throw CognitoException.invalidParameter("Precedence must be at least 0.");
        }
        Instant now = clock.instant();
        Group group = new Group(groupName, userPoolId, description, precedence, now, now);
        synchronized (state) {
            if (state.groups.putIfAbsent(groupName, group) != null) {
                throw CognitoException.groupExists("A group with the name " + groupName + " already exists.");
            }
        }
        return group;
    }

    public void adminAddUserToGroup(String userPoolId, String username, String groupName) {
        PoolState state = pool(userPoolId);
        synchronized (state) {
            StoredUser user = user(state, username);
            if (groupName == null || !state.groups.containsKey(groupName)) {
                throw CognitoException.resourceNotFound("Group not found.");
            }
            user.groups().add(groupName);
        }
    }

    // ---- authentication ----------------------------------------------------------------------------------

    public AuthResult initiateAuth(String clientId, String authFlow, Map<String, String> authParameters) {
        AppClient client = client(clientId);
        Map<String, String> params = authParameters == null ? Map.of() : authParameters;
        if (authFlow == null) {
            throw CognitoException.invalidParameter("Missing required parameter AuthFlow");
        }
        switch (authFlow) {
            case "USER_PASSWORD_AUTH":
                requireFlow(client, AppClient.ALLOW_USER_PASSWORD_AUTH, authFlow);
                return passwordAuth(client, required(params, "USERNAME"), required(params, "PASSWORD"));
            case "REFRESH_TOKEN_AUTH":
            case "REFRESH_TOKEN":
                requireFlow(client, AppClient.ALLOW_REFRESH_TOKEN_AUTH, authFlow);
                return refreshAuth(client, required(params, "REFRESH_TOKEN"));
            case "USER_SRP_AUTH":
            case "CUSTOM_AUTH":
            case "USER_AUTH":
                throw CognitoException.invalidParameter("AuthFlow " + authFlow + " is not supported by this emulator.");
            case "ADMIN_NO_SRP_AUTH":
            case "ADMIN_USER_PASSWORD_AUTH":
                throw CognitoException.invalidParameter("Initiate Auth method not supported.");
            default:
                throw CognitoException.invalidParameter("1 validation error detected: Value '" + authFlow
                        + "' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set");
        }
    }

    /** Answers {@code NEW_PASSWORD_REQUIRED} with {@code USERNAME} and {@code NEW_PASSWORD}; the only challenge issued. */
    public AuthResult respondToAuthChallenge(
            String clientId, String challengeName, String session, Map<String, String> challengeResponses) {
        AppClient client = client(clientId);
        if (!AuthResult.NEW_PASSWORD_REQUIRED.equals(challengeName)) {
            throw CognitoException.invalidParameter("Unsupported challenge " + challengeName + ".");
        }
        Map<String, String> responses = challengeResponses == null ? Map.of() : challengeResponses;
        String username = required(responses, "USERNAME");
        String newPassword = required(responses, "NEW_PASSWORD");
        ChallengeSession pending = session == null ? null : challengeSessions.remove(digest(session));
        if (pending == null
                || !pending.clientId().equals(client.clientId())
                || !pending.username().equals(username)) {
            throw CognitoException.notAuthorized("Invalid session for the user.");
        }
        if (!clock.instant().isBefore(pending.expiresAt())) {
            throw CognitoException.notAuthorized("Invalid session for the user, session is expired.");
        }
        char[] chars = newPassword.toCharArray();
        checkPasswordPolicy(chars);
        PoolState state = pool(client.userPoolId());
        setPassword(state, username, hasher.hash(chars), UserStatus.CONFIRMED);
        return signIn(client, state, username);
    }

    private AuthResult passwordAuth(AppClient client, String username, String password) {
        PoolState state = pool(client.userPoolId());
        StoredUser user;
        synchronized (state) {
            user = state.users.get(username);
        }
        char[] chars = password.toCharArray();
        if (user == null) {
            // Like Cognito with PreventUserExistenceErrors: an unknown user looks exactly like a wrong password.
            hasher.burnVerification(chars);
            throw CognitoException.notAuthorized(INCORRECT_CREDENTIALS);
        }
        if (!hasher.verify(chars, user.passwordHash())) {
            throw CognitoException.notAuthorized(INCORRECT_CREDENTIALS);
        }
        if (user.status() == UserStatus.FORCE_CHANGE_PASSWORD) {
            if (!clock.instant().isBefore(user.passwordSetAt().plus(TEMPORARY_PASSWORD_VALIDITY))) {
                throw CognitoException.notAuthorized(
                        "Temporary password has expired and must be reset by an administrator.");
            }
            return newPasswordChallenge(client, user);
        }
        return signIn(client, state, username);
    }

    private AuthResult newPasswordChallenge(AppClient client, StoredUser user) {
        String session = randomToken(96);
        challengeSessions.put(
                digest(session),
                new ChallengeSession(
                        client.clientId(), user.username(), clock.instant().plus(CHALLENGE_SESSION_VALIDITY)));
        Map<String, String> visible = new LinkedHashMap<>(user.attributes());
        visible.remove("sub");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("USER_ID_FOR_SRP", user.username());
        parameters.put("requiredAttributes", "[]");
        parameters.put("userAttributes", toJson(visible));
        return AuthResult.challenge(AuthResult.NEW_PASSWORD_REQUIRED, session, parameters);
    }

    private AuthResult signIn(AppClient client, PoolState state, String username) {
        Instant now = clock.instant();
        TokenIssuer.Session session = new TokenIssuer.Session(
                client.clientId(),
                now,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        TokenIssuer.SignedTokens signed = sign(state, username, session);
        String refreshToken = randomToken(192);
        refreshGrants.put(
                digest(refreshToken),
                new RefreshGrant(client.userPoolId(), username, session, now.plus(REFRESH_TOKEN_VALIDITY)));
        return AuthResult.tokens(new AuthResult.Tokens(
                signed.accessToken(),
                signed.idToken(),
                refreshToken,
                (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(),
                "Bearer"));
    }

    private AuthResult refreshAuth(AppClient client, String refreshToken) {
        RefreshGrant grant = refreshGrants.get(digest(refreshToken));
        if (grant == null || !grant.session().clientId().equals(client.clientId())) {
            throw CognitoException.notAuthorized("Invalid Refresh Token");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            refreshGrants.remove(digest(refreshToken));
            throw CognitoException.notAuthorized("Refresh Token has expired");
        }
        PoolState state = pool(grant.userPoolId());
        // Groups and attributes are read now, so a refresh reflects membership changes since sign-in.
        TokenIssuer.SignedTokens signed = sign(state, grant.username(), grant.session());
        return AuthResult.tokens(new AuthResult.Tokens(
                signed.accessToken(), signed.idToken(), null, (int) TokenIssuer.TOKEN_VALIDITY.toSeconds(), "Bearer"));
    }

    private TokenIssuer.SignedTokens sign(PoolState state, String username, TokenIssuer.Session session) {
        TokenIssuer.Subject subject;
        synchronized (state) {
            StoredUser user = state.users.get(username);
            if (user == null) {
                throw CognitoException.notAuthorized("User does not exist.");
            }
            List<String> groups = new ArrayList<>(user.groups());
            // Cognito lists groups by precedence; groups without one come last.
            groups.sort(Comparator.comparing(
                    (String g) -> state.groups.get(g).precedence(), Comparator.nullsLast(Comparator.naturalOrder())));
            subject = new TokenIssuer.Subject(user.username(), user.sub(), user.attributes(), List.copyOf(groups));
        }
        return tokenIssuer.issue(state.pool(), signingKeys.keyFor(state.pool().id()), subject, session);
    }

    // ---- discovery ---------------------------------------------------------------------------------------

    public String openIdConfiguration(String userPoolId) {
        return discovery.document(pool(userPoolId).pool());
    }

    public String jwks(String userPoolId) {
        pool(userPoolId);
        RSAKey key = signingKeys.keyFor(userPoolId);
        return new JWKSet(key.toPublicJWK()).toString();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private void setPassword(PoolState state, String username, String hash, UserStatus status) {
        Instant now = clock.instant();
        synchronized (state) {
            StoredUser user = user(state, username);
            state.users.put(
                    username,
                    new StoredUser(
                            user.username(),
                            user.sub(),
                            user.attributes(),
                            hash,
                            status,
                            user.createDate(),
                            now,
                            now,
                            user.groups()));
        }
    }

    private PoolState pool(String userPoolId) {
        PoolState state = userPoolId == null ? null : pools.get(userPoolId);
        if (state == null) {
            throw CognitoException.resourceNotFound("User pool " + userPoolId + " does not exist.");
        }
        return state;
    }

    private AppClient client(String clientId) {
        AppClient client = clientId == null ? null : clients.get(clientId);
        if (client == null) {
            throw CognitoException.resourceNotFound("User pool client " + clientId + " does not exist.");
        }
        return client;
    }

    private static StoredUser user(PoolState state, String username) {
        StoredUser user = username == null ? null : state.users.get(username);
        if (user == null) {
            throw CognitoException.userNotFound();
        }
        return user;
    }

    private static void requireFlow(AppClient client, String allow, String authFlow) {
        if (!client.allows(allow)) {
            throw CognitoException.invalidParameter(authFlow + " flow not enabled for this client");
        }
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw CognitoException.invalidParameter("Missing required parameter " + name);
        }
        return value;
    }

    private static void requireLength(String member, String value, int min, int max) {
        if (value == null) {
            throw CognitoException.invalidParameter("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        if (value.length() < min || value.length() > max) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length between " + min + " and " + max);
        }
    }

    private static void requireMatch(String member, String value, Pattern pattern, int min, int max) {
        requireLength(member, value, min, max);
        if (!pattern.matcher(value).matches()) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /** The emulator's pool policy: Cognito's minimum length of 8, without the character-class rules. */
    private static void checkPasswordPolicy(char[] password) {
        if (password.length < MIN_PASSWORD_LENGTH) {
            throw CognitoException.invalidPassword("Password did not conform with policy: Password not long enough");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw CognitoException.invalidPassword("Password did not conform with policy: Password is too long");
        }
    }

    private char[] generatePassword() {
        return (randomString(ALNUM, 12) + "!a1A").toCharArray();
    }

    private String randomString(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String randomToken(int bytes) {
        byte[] buf = new byte[bytes];
        random.nextBytes(buf);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Map<String, String> map) {
        try {
            return new ObjectMapper().writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pool's users and groups; guarded by its own monitor. */
    private static final class PoolState {
        private final UserPool pool;
        private final Map<String, StoredUser> users = new HashMap<>();
        private final Map<String, Group> groups = new HashMap<>();

        PoolState(UserPool pool) {
            this.pool = pool;
        }

        UserPool pool() {
            return pool;
        }
    }

    /** {@code groups} is mutable and only touched under the pool's monitor. */
    private record StoredUser(
            String username,
            String sub,
            Map<String, String> attributes,
            String passwordHash,
            UserStatus status,
            Instant createDate,
            Instant lastModifiedDate,
            Instant passwordSetAt,
            LinkedHashSet<String> groups) {

        CognitoUser view() {
            return new CognitoUser(username, sub, attributes, status, true, createDate, lastModifiedDate);
        }
    }

    private record RefreshGrant(String userPoolId, String username, TokenIssuer.Session session, Instant expiresAt) {}

    private record ChallengeSession(String clientId, String username, Instant expiresAt) {}
}
