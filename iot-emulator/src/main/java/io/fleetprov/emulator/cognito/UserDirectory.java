package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.requireLength;
import static io.fleetprov.emulator.cognito.Validation.requireMatch;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The users and groups of each user pool, and their passwords (kept only as hashes). Thread-safe: each pool's users
 * and groups are guarded by that pool's own monitor; password hashing happens outside it.
 */
public final class UserDirectory {

    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 256;

    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");

    private final UserPools pools;
    private final Clock clock;
    private final RandomStrings random;
    private final PasswordHasher hasher;
    private final SecureRandom secureRandom;
    private final Map<String, Members> members = new ConcurrentHashMap<>();

    UserDirectory(
            UserPools pools, Clock clock, RandomStrings random, PasswordHasher hasher, SecureRandom secureRandom) {
        this.pools = pools;
        this.clock = clock;
        this.random = random;
        this.hasher = hasher;
        this.secureRandom = secureRandom;
    }

    /**
     * Creates a user in {@code FORCE_CHANGE_PASSWORD}. Without a temporary password one is generated, as Cognito
     * does; since the emulator sends no invitations, such a user can only sign in after AdminSetUserPassword.
     */
    public CognitoUser adminCreateUser(
            String userPoolId, String username, String temporaryPassword, Map<String, String> attributes) {
        char[] password = temporaryPassword != null ? temporaryPassword.toCharArray() : generatePassword();
        return create(userPoolId, username, password, attributes, UserStatus.FORCE_CHANGE_PASSWORD);
    }

    /** SignUp: a user with the password they chose, {@code UNCONFIRMED} until {@link #confirmSignUp}. */
    CognitoUser signUp(String userPoolId, String username, String password, Map<String, String> attributes) {
        if (password == null) {
            throw CognitoException.invalidParameter("Missing required parameter Password");
        }
        return create(userPoolId, username, password.toCharArray(), attributes, UserStatus.UNCONFIRMED);
    }

    /** ConfirmSignUp and AdminConfirmSignUp: an {@code UNCONFIRMED} user becomes {@code CONFIRMED}. */
    public void confirmSignUp(String userPoolId, String username) {
        Members state = members(userPoolId);
        synchronized (state) {
            StoredUser user = user(state, username);
            if (user.status() != UserStatus.UNCONFIRMED) {
                throw CognitoException.notAuthorized(
                        "User cannot be confirmed. Current status is " + user.status() + ".");
            }
            state.users.put(
                    username,
                    new StoredUser(
                            user.username(),
                            user.sub(),
                            user.attributes(),
                            user.passwordHash(),
                            user.srp(),
                            UserStatus.CONFIRMED,
                            user.createDate(),
                            clock.instant(),
                            user.passwordSetAt(),
                            user.groups()));
        }
    }

    private CognitoUser create(
            String userPoolId, String username, char[] password, Map<String, String> attributes, UserStatus status) {
        Members state = members(userPoolId);
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
        checkPasswordPolicy(password);
        String hash = hasher.hash(password);
        Srp.Verifier srp = Srp.verifier(Srp.poolName(userPoolId), username, password, secureRandom);
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
                    username, sub, Map.copyOf(withSub), hash, srp, status, now, now, now, new LinkedHashSet<>());
            state.users.put(username, user);
            return user.view();
        }
    }

    public CognitoUser adminGetUser(String userPoolId, String username) {
        Members state = members(userPoolId);
        synchronized (state) {
            return user(state, username).view();
        }
    }

    public void adminSetUserPassword(String userPoolId, String username, String password, boolean permanent) {
        members(userPoolId);
        if (password == null) {
            throw CognitoException.invalidParameter("Missing required parameter Password");
        }
        changePassword(
                userPoolId,
                username,
                password.toCharArray(),
                permanent ? UserStatus.CONFIRMED : UserStatus.FORCE_CHANGE_PASSWORD);
    }

    public Group createGroup(String userPoolId, String groupName) {
        return createGroup(userPoolId, groupName, null, null);
    }

    public Group createGroup(String userPoolId, String groupName, String description, Integer precedence) {
        Members state = members(userPoolId);
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
        Members state = members(userPoolId);
        synchronized (state) {
            StoredUser user = user(state, username);
            if (groupName == null || !state.groups.containsKey(groupName)) {
                throw CognitoException.resourceNotFound("Group not found.");
            }
            user.groups().add(groupName);
        }
    }

    /**
     * The user, if {@code password} is theirs; empty for a wrong password and for an unknown user alike, which cost
     * the same time, as Cognito with PreventUserExistenceErrors makes them look the same.
     */
    Optional<StoredUser> verifyPassword(String userPoolId, String username, char[] password) {
        Members state = members(userPoolId);
        StoredUser user;
        synchronized (state) {
            user = state.users.get(username);
        }
        if (user == null) {
            hasher.burnVerification(password);
            return Optional.empty();
        }
        return hasher.verify(password, user.passwordHash()) ? Optional.of(user) : Optional.empty();
    }

    /** The pool's users, by user name. */
    public List<CognitoUser> listUsers(String userPoolId) {
        Members state = members(userPoolId);
        synchronized (state) {
            return state.users.values().stream()
                    .sorted(Comparator.comparing(StoredUser::username))
                    .map(StoredUser::view)
                    .toList();
        }
    }

    /** The groups the user belongs to, by group name. */
    public List<Group> groupsOf(String userPoolId, String username) {
        Members state = members(userPoolId);
        synchronized (state) {
            return user(state, username).groups().stream()
                    .sorted()
                    .map(state.groups::get)
                    .toList();
        }
    }

    /** For DescribeUserPool's {@code EstimatedNumberOfUsers}. */
    int userCount(String userPoolId) {
        Members state = members(userPoolId);
        synchronized (state) {
            return state.users.size();
        }
    }

    /** The user as stored (with the SRP verifier), if there is one of that name. */
    Optional<StoredUser> find(String userPoolId, String username) {
        Members state = members(userPoolId);
        synchronized (state) {
            return Optional.ofNullable(username == null ? null : state.users.get(username));
        }
    }

    /** Checks the password policy, then sets the password and the status the user is left in. */
    void changePassword(String userPoolId, String username, char[] password, UserStatus status) {
        Members state = members(userPoolId);
        checkPasswordPolicy(password);
        synchronized (state) {
            user(state, username); // fail before the expensive hash
        }
        String hash = hasher.hash(password);
        Srp.Verifier srp = Srp.verifier(Srp.poolName(userPoolId), username, password, secureRandom);
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
                            srp,
                            status,
                            user.createDate(),
                            now,
                            now,
                            user.groups()));
        }
    }

    /** Who tokens are for, read now: a refresh reflects attribute and membership changes since sign-in. */
    TokenIssuer.Subject subject(String userPoolId, String username) {
        Members state = members(userPoolId);
        synchronized (state) {
            StoredUser user = state.users.get(username);
            if (user == null) {
                throw CognitoException.notAuthorized("User does not exist.");
            }
            List<String> groups = new ArrayList<>(user.groups());
            // Cognito lists groups by precedence; groups without one come last.
            groups.sort(Comparator.comparing(
                    (String g) -> state.groups.get(g).precedence(), Comparator.nullsLast(Comparator.naturalOrder())));
            return new TokenIssuer.Subject(user.username(), user.sub(), user.attributes(), List.copyOf(groups));
        }
    }

    private Members members(String userPoolId) {
        pools.pool(userPoolId);
        return members.computeIfAbsent(userPoolId, id -> new Members());
    }

    private static StoredUser user(Members state, String username) {
        StoredUser user = username == null ? null : state.users.get(username);
        if (user == null) {
            throw CognitoException.userNotFound();
        }
        return user;
    }

    /** The emulator's pool policy: Cognito's minimum length of 8, without the character-class rules. */
    static void checkPasswordPolicy(char[] password) {
        if (password.length < MIN_PASSWORD_LENGTH) {
            throw CognitoException.invalidPassword("Password did not conform with policy: Password not long enough");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw CognitoException.invalidPassword("Password did not conform with policy: Password is too long");
        }
    }

    private char[] generatePassword() {
        return (random.of(RandomStrings.ALNUM, 12) + "!a1A").toCharArray();
    }

    /** A pool's users and groups; guarded by its own monitor. */
    private static final class Members {
        private final Map<String, StoredUser> users = new HashMap<>();
        private final Map<String, Group> groups = new HashMap<>();
    }

    /** {@code groups} is mutable and only touched under the pool's monitor. */
    record StoredUser(
            String username,
            String sub,
            Map<String, String> attributes,
            String passwordHash,
            Srp.Verifier srp,
            UserStatus status,
            Instant createDate,
            Instant lastModifiedDate,
            Instant passwordSetAt,
            LinkedHashSet<String> groups) {

        CognitoUser view() {
            return new CognitoUser(username, sub, attributes, status, true, createDate, lastModifiedDate);
        }
    }
}
