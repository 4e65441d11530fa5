package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.requireLength;
import static io.fleetprov.emulator.cognito.Validation.requireMatch;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** User pools and their app clients. Thread-safe. */
public final class UserPools {

    // Emulated resources belong to an account that cannot exist in AWS, so ARNs never collide with real ones.
    static final String ACCOUNT_ID = "000000000000";

    private static final Pattern USER_POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\w+]+");
    private static final Pattern CLIENT_NAME = Pattern.compile("[\\w\\s+=,.@-]+");

    private final String issuerBaseUrl;
    private final String region;
    private final Clock clock;
    private final RandomStrings random;
    private final SigningKeyStore signingKeys;
    private final Map<String, UserPool> pools = new ConcurrentHashMap<>();
    private final Map<String, AppClient> clients = new ConcurrentHashMap<>();

    UserPools(String issuerBaseUrl, String region, Clock clock, RandomStrings random, SigningKeyStore signingKeys) {
        this.issuerBaseUrl = issuerBaseUrl;
        this.region = region;
        this.clock = clock;
        this.random = random;
        this.signingKeys = signingKeys;
    }

    public UserPool createUserPool(String poolName) {
        while (true) {
            String id = region + "_" + random.of(RandomStrings.ALNUM, 9);
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
        if (pools.putIfAbsent(userPoolId, pool) != null) {
            throw CognitoException.invalidParameter("User pool " + userPoolId + " already exists.");
        }
        // Created eagerly so that a persisted key is picked up, or a new one written, before any token is issued.
        signingKeys.keyFor(userPoolId);
        return pool;
    }

    public Optional<UserPool> findUserPool(String userPoolId) {
        return Optional.ofNullable(userPoolId == null ? null : pools.get(userPoolId));
    }

    /** All pools, by id; for listing endpoints to users (endpoints.json). */
    public List<UserPool> userPools() {
        return pools.values().stream()
                .sorted(Comparator.comparing(UserPool::id))
                .toList();
    }

    /** The app clients of a pool, by client id. */
    public List<AppClient> appClients(String userPoolId) {
        return clients.values().stream()
                .filter(c -> c.userPoolId().equals(userPoolId))
                .sorted(Comparator.comparing(AppClient::clientId))
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
        return createAppClient(userPoolId, clientId, clientName, explicitAuthFlows, OAuthSettings.NONE);
    }

    /** As {@link #createAppClient(String, String, String, Set)}, with hosted-UI settings, checked as Cognito does. */
    public AppClient createAppClient(
            String userPoolId, String clientId, String clientName, Set<String> explicitAuthFlows, OAuthSettings oauth) {
        pool(userPoolId);
        oauth.validate(userPoolId, false);
        requireMatch("clientName", clientName, CLIENT_NAME, 1, 128);
        if (clientId != null) {
            requireMatch("clientId", clientId, CLIENT_ID, 1, 128);
        }
        AppClient client;
        do {
            String id = clientId != null ? clientId : random.of(RandomStrings.LOWER_ALNUM, 26);
            client = new AppClient(id, clientName, userPoolId, explicitAuthFlows, clock.instant(), oauth);
            if (clients.putIfAbsent(id, client) == null) {
                return client;
            }
        } while (clientId == null);
        throw CognitoException.invalidParameter("User pool client " + clientId + " already exists.");
    }

    /** Replaces the hosted-UI settings of a client (UpdateUserPoolClient); codes and sessions issued stay valid. */
    public AppClient updateOAuthSettings(String userPoolId, String clientId, OAuthSettings oauth) {
        AppClient current = client(clientId);
        if (!current.userPoolId().equals(userPoolId)) {
            throw CognitoException.resourceNotFound("User pool client " + clientId + " does not exist.");
        }
        oauth.validate(userPoolId, false);
        AppClient updated = new AppClient(
                current.clientId(),
                current.clientName(),
                current.userPoolId(),
                current.explicitAuthFlows(),
                current.creationDate(),
                oauth);
        clients.put(clientId, updated);
        return updated;
    }

    /** The app client with this id, if any. */
    public Optional<AppClient> findAppClient(String clientId) {
        return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
    }

    /** The pool, or Cognito's error for a pool that does not exist. */
    UserPool pool(String userPoolId) {
        return findUserPool(userPoolId)
                .orElseThrow(() -> CognitoException.resourceNotFound("User pool " + userPoolId + " does not exist."));
    }

    /** The app client, or Cognito's error for a client that does not exist. */
    AppClient client(String clientId) {
        AppClient client = clientId == null ? null : clients.get(clientId);
        if (client == null) {
            throw CognitoException.resourceNotFound("User pool client " + clientId + " does not exist.");
        }
        return client;
    }
}
