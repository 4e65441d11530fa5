package io.fleetprov.emulator.cognito.hostedui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization codes: each is bound to the client, redirect URI and PKCE challenge of its authorization request,
 * is redeemed at most once, and expires after {@link #VALIDITY}. A failed redemption (wrong client, redirect URI or
 * verifier) leaves the code to its rightful owner. Thread-safe.
 */
public final class AuthorizationCodes {

    /** Cognito's authorization codes are valid for five minutes. */
    public static final Duration VALIDITY = Duration.ofMinutes(5);

    /** What a code stands for; {@code codeChallenge} and {@code nonce} are null when the request had none. */
    public record Grant(
            String clientId,
            String userPoolId,
            String username,
            String redirectUri,
            String scope,
            String nonce,
            String codeChallenge,
            Instant authTime) {}

    private record Pending(Grant grant, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random;
    // Keyed by a digest of the code, so the live codes themselves are not kept in memory.
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public AuthorizationCodes(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public String issue(Grant grant) {
        Instant now = clock.instant();
        // Codes nobody redeemed would otherwise pile up.
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        String code = OpaqueValues.random(random);
        pending.put(OpaqueValues.digest(code), new Pending(grant, now.plus(VALIDITY)));
        return code;
    }

    /**
     * Redeems a code for the client that asked for it.
     *
     * @param codeVerifier nullable; required when the authorization request had a code challenge
     * @throws OAuthError invalid_grant (or invalid_request for a missing verifier)
     */
    public Grant redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        String key = OpaqueValues.digest(code);
        Pending found = pending.get(key);
        if (found == null) {
            throw OAuthError.invalidGrant("Authorization code is invalid, expired or already used.");
        }
        if (!clock.instant().isBefore(found.expiresAt())) {
            pending.remove(key, found);
            throw OAuthError.invalidGrant("Authorization code is invalid, expired or already used.");
        }
        Grant grant = found.grant();
        if (!grant.clientId().equals(clientId)) {
            throw OAuthError.invalidGrant("Authorization code was issued to another client.");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request.");
        }
        if (grant.codeChallenge() == null) {
            if (codeVerifier != null) {
                // A verifier for a request without a challenge is a downgrade attempt or a broken client.
                throw OAuthError.invalidGrant(
                        "code_verifier sent, but the authorization request had no code_challenge.");
            }
        } else if (codeVerifier == null) {
            throw OAuthError.invalidRequest("code_verifier is required: the authorization request used PKCE.");
        } else if (!Pkce.verifies(grant.codeChallenge(), codeVerifier)) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge.");
        }
        // Only one of two concurrent redemptions gets past this.
        if (!pending.remove(key, found)) {
            throw OAuthError.invalidGrant("Authorization code is invalid, expired or already used.");
        }
        return grant;
    }
}
