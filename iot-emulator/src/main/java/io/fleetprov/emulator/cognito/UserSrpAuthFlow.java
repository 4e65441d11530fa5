package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code USER_SRP_AUTH} and its {@code PASSWORD_VERIFIER} challenge: the password never leaves the client (see
 * {@link Srp}). InitiateAuth takes {@code SRP_A} and answers {@code SALT}, {@code SRP_B}, {@code SECRET_BLOCK} and
 * {@code USER_ID_FOR_SRP}; the answer proves the password with an HMAC over the pool name, user, secret block and
 * timestamp. The secret block identifies the attempt, may be used once, and expires like a challenge session. A
 * user on a temporary password then gets {@code NEW_PASSWORD_REQUIRED}. Thread-safe.
 */
final class UserSrpAuthFlow implements AuthFlow, AuthChallenge {

    static final String PASSWORD_VERIFIER = "PASSWORD_VERIFIER";

    /** The library's {@code DateHelper.getNowString()}: day of month unpadded, English names, always UTC. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.US);

    // 3072-bit numbers are 768 hex digits; anything much longer is not an SRP value.
    private static final int MAX_SRP_A_HEX = 1024;
    private static final int SECRET_BLOCK_BYTES = 64;
    private static final int MAX_PENDING_BEFORE_PURGE = 10_000;

    private final UserDirectory users;
    private final NewPasswordChallenge newPassword;
    private final Clock clock;
    private final SecureRandom random;
    // Derives the stand-in verifiers of unknown users, so they get a challenge like everyone else.
    private final byte[] decoyKey = new byte[32];
    // Keyed by a digest of the secret block, so the blocks themselves are not kept in memory.
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    UserSrpAuthFlow(UserDirectory users, NewPasswordChallenge newPassword, Clock clock, SecureRandom random) {
        this.users = users;
        this.newPassword = newPassword;
        this.clock = clock;
        this.random = random;
        random.nextBytes(decoyKey);
    }

    @Override
    public Set<String> names() {
        return Set.of("USER_SRP_AUTH");
    }

    @Override
    public String name() {
        return PASSWORD_VERIFIER;
    }

    @Override
    public String clientPermission() {
        return AppClient.ALLOW_USER_SRP_AUTH;
    }

    @Override
    public AuthResult initiate(AppClient client, Map<String, String> parameters) {
        String username = required(parameters, "USERNAME");
        SecretHash.check(client, username, parameters);
        BigInteger largeA = parseA(required(parameters, "SRP_A"));
        // Unknown users get a challenge too (with a stand-in verifier), as Cognito with PreventUserExistenceErrors:
        // the answer then fails like a wrong password.
        Srp.Verifier verifier = users.find(client.userPoolId(), username)
                .map(UserDirectory.StoredUser::srp)
                .orElseGet(() -> decoyVerifier(client.userPoolId(), username));
        Srp.ServerStep step = Srp.serverStep(verifier, random);
        byte[] block = new byte[SECRET_BLOCK_BYTES];
        random.nextBytes(block);
        String secretBlock = Base64.getEncoder().encodeToString(block);
        purgeExpired();
        pending.put(
                RandomStrings.digest(secretBlock),
                new Pending(
                        client.clientId(),
                        username,
                        largeA,
                        verifier,
                        step,
                        clock.instant().plus(ChallengeSessions.VALIDITY)));

        Map<String, String> challenge = new LinkedHashMap<>();
        challenge.put("SALT", verifier.salt().toString(16));
        challenge.put("SECRET_BLOCK", secretBlock);
        challenge.put("SRP_B", step.largeB().toString(16));
        challenge.put("USERNAME", username);
        challenge.put("USER_ID_FOR_SRP", username);
        return AuthResult.challenge(PASSWORD_VERIFIER, null, challenge);
    }

    @Override
    public AuthResult respond(AppClient client, String session, Map<String, String> responses) {
        String userId = required(responses, "USERNAME");
        String secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
        String claimedSignature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
        String timestamp = required(responses, "TIMESTAMP");
        // Checked before the attempt is used up, so a malformed request does not cost the user their attempt.
        SecretHash.check(client, userId, responses);
        try {
            TIMESTAMP.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw CognitoException.invalidParameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
        }

        Pending attempt = pending.remove(RandomStrings.digest(secretBlock));
        if (attempt == null || !attempt.clientId().equals(client.clientId())) {
            throw CognitoException.notAuthorized(UserPasswordAuthFlow.INCORRECT_CREDENTIALS);
        }
        if (!clock.instant().isBefore(attempt.expiresAt())) {
            throw CognitoException.notAuthorized("Invalid session for the user, session is expired.");
        }
        if (!attempt.username().equals(userId)
                || !signatureMatches(client, attempt, secretBlock, claimedSignature, timestamp)) {
            throw CognitoException.notAuthorized(UserPasswordAuthFlow.INCORRECT_CREDENTIALS);
        }
        UserDirectory.StoredUser user = users.find(client.userPoolId(), userId)
                // Deleted between the two steps, or never there (a decoy whose signature cannot match).
                .orElseThrow(() -> CognitoException.notAuthorized(UserPasswordAuthFlow.INCORRECT_CREDENTIALS));
        return newPassword.signInOrChallenge(client, user);
    }

    private boolean signatureMatches(
            AppClient client, Pending attempt, String secretBlock, String claimedSignature, String timestamp) {
        byte[] claimed;
        byte[] block;
        try {
            claimed = Base64.getDecoder().decode(claimedSignature);
            block = Base64.getDecoder().decode(secretBlock);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] key = Srp.key(attempt.largeA(), attempt.verifier(), attempt.step());
        if (key == null) {
            return false;
        }
        byte[] expected = Srp.signature(key, Srp.poolName(client.userPoolId()), attempt.username(), block, timestamp);
        return MessageDigest.isEqual(expected, claimed);
    }

    private static BigInteger parseA(String hex) {
        BigInteger largeA;
        try {
            if (hex.isEmpty() || hex.length() > MAX_SRP_A_HEX) {
                throw new NumberFormatException();
            }
            largeA = new BigInteger(hex, 16);
        } catch (NumberFormatException e) {
            throw CognitoException.invalidParameter("SRP_A must be a hexadecimal number.");
        }
        if (!Srp.acceptable(largeA)) {
            // A ≡ 0 (mod N) would make the shared secret 0 whatever the password: the classic SRP bypass.
            throw CognitoException.invalidParameter("SRP_A is not a valid SRP value.");
        }
        return largeA;
    }

    private Srp.Verifier decoyVerifier(String userPoolId, String username) {
        byte[] seed = Srp.hmac(decoyKey, (userPoolId + "\u0000" + username).getBytes(StandardCharsets.UTF_8));
        BigInteger salt = new BigInteger(1, Arrays.copyOf(seed, 16));
        char[] password = HexFormat.of().formatHex(seed).toCharArray();
        return Srp.verifier(Srp.poolName(userPoolId), username, password, salt);
    }

    /** Attempts that were never answered would otherwise stay forever. */
    private void purgeExpired() {
        if (pending.size() >= MAX_PENDING_BEFORE_PURGE) {
            Instant now = clock.instant();
            pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        }
    }

    private record Pending(
            String clientId,
            String username,
            BigInteger largeA,
            Srp.Verifier verifier,
            Srp.ServerStep step,
            Instant expiresAt) {}
}
