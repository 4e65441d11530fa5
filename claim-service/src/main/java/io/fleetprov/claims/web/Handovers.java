package io.fleetprov.claims.web;

import io.fleetprov.protocol.claim.ClaimResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claim bundles waiting for their one download, in this process's memory only: the page that showed a claim holds
 * an unguessable handle, never the key; the download takes the bundle out, so a second download, another
 * installer's handle or an expired claim gets nothing. A restart loses them, as it should: the installer asks again.
 */
@ApplicationScoped
public class Handovers {

    /** At most this many bundles wait at once per process; the oldest are dropped first. */
    private static final int MAX_WAITING = 10_000;

    /** A bundle waiting for its download. */
    public record Handover(String installer, ClaimResponse bundle, String serialNumber) {

        @Override
        public String toString() {
            return "Handover[certificateId=" + bundle.certificateId() + "]";
        }
    }

    private final Map<String, Handover> waiting = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public Handovers(Clock clock) {
        this.clock = clock;
    }

    /** Keeps the bundle for one download by {@code installer}; returns its handle. */
    public String put(String installer, String serialNumber, ClaimResponse bundle) {
        dropExpired();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String handle = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        waiting.put(handle, new Handover(installer, bundle, serialNumber));
        return handle;
    }

    /** The bundle and serial number, once; empty for an unknown, used, foreign or expired handle. */
    public Optional<Handover> take(String installer, String handle) {
        if (handle == null) {
            return Optional.empty();
        }
        Handover h = waiting.get(handle);
        if (h == null || !h.installer().equals(installer)) {
            // A foreign handle is left alone: its owner may still download it.
            return Optional.empty();
        }
        if (!waiting.remove(handle, h) || expired(h, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(h);
    }

    private void dropExpired() {
        Instant now = clock.instant();
        waiting.values().removeIf(h -> expired(h, now));
        if (waiting.size() >= MAX_WAITING) {
            waiting.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue((a, b) ->
                            a.bundle().expiresAt().compareTo(b.bundle().expiresAt())))
                    .limit(waiting.size() - MAX_WAITING + 1L)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(waiting::remove);
        }
    }

    private static boolean expired(Handover h, Instant now) {
        return h.bundle().expiresAt() != null && !now.isBefore(h.bundle().expiresAt());
    }
}
