package io.fleetprov.emulator.provisioning;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * certificateOwnershipTokens: opaque, single use, bound to the certificate they were issued with and to the
 * certificate of the connection that asked for it (so one claim cannot register another device's certificate —
 * the reference leaves this binding UNCONFIRMED; this is the conservative choice). They expire after the
 * configured lifetime (AWS: 1 hour).
 */
public final class OwnershipTokens {

    public record Grant(String certificateId, String requesterCertificateId, Instant expiresAt) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    public OwnershipTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public String issue(String certificateId, String requesterCertificateId) {
        byte[] bytes = new byte[96];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(
                token,
                new Grant(certificateId, requesterCertificateId, clock.instant().plus(lifetime)));
        return token;
    }

    /**
     * Takes the token out, so two concurrent RegisterThing calls cannot both use it. Give it back with
     * {@link #restore} when the registration fails for a reason the device may retry.
     */
    public Grant take(String token, String requesterCertificateId) {
        if (token == null || token.isEmpty()) {
            throw FleetErrors.invalidToken("Certificate ownership token cannot be empty.");
        }
        Grant grant = grants.remove(token);
        if (grant == null) {
            throw FleetErrors.invalidToken("Certificate ownership token is invalid or has already been used.");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            grants.put(token, grant); // left for removeExpired(), which also removes its certificate
            throw FleetErrors.invalidToken("Certificate ownership token has expired.");
        }
        if (!grant.requesterCertificateId().equals(requesterCertificateId)) {
            grants.put(token, grant);
            throw FleetErrors.invalidToken("Certificate ownership token was not issued to this client.");
        }
        return grant;
    }

    public void restore(String token, Grant grant) {
        grants.put(token, grant);
    }

    /** Removes expired tokens and returns their grants, so their certificates can be cleaned up. */
    public List<Grant> removeExpired() {
        Instant now = clock.instant();
        List<Grant> expired = new ArrayList<>();
        grants.entrySet().removeIf(e -> {
            boolean gone = !now.isBefore(e.getValue().expiresAt());
            if (gone) {
                expired.add(e.getValue());
            }
            return gone;
        });
        return expired;
    }
}
