package io.fleetprov.claims.rest;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bearer tokens quarkus-oidc has verified (signature, issuer, expiry, {@link AppClientValidator}) with the identity
 * it made of each, so that an installer's next request with the same token skips parsing it and checking its RS256
 * signature again. quarkus-oidc verifies JWTs locally and keeps no state, so what a token admits depends only on
 * its bytes, the pool's keys and the time: an entry is found only by the SHA-256 of the exact token bytes (a token
 * altered anywhere, another pool's or another client's is a miss and is verified in full), and is used only while
 * the wall clock, which quarkus-oidc checks {@code exp} against, is before the token's {@code exp} and
 * {@code fleetprov.token-cache.max-age} after it was verified. Bounded: when full, entries past their time are
 * dropped, and if none are, new tokens are verified without being remembered.
 */
@ApplicationScoped
public class VerifiedBearerTokens {

    private record Entry(String token, SecurityIdentity identity, long validUntilMillis) {}

    private final ConcurrentHashMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long maxAgeMillis;
    private final LongSupplier wallClock;
    private final AtomicLong hits = new AtomicLong();

    @Inject
    public VerifiedBearerTokens(ClaimServiceConfig config) {
        this(
                config.tokenCache().maxEntries(),
                config.tokenCache().maxAge().toMillis(),
                // Not the service's Clock (tests move it): quarkus-oidc checks exp against the system clock.
                System::currentTimeMillis);
    }

    VerifiedBearerTokens(int maxEntries, long maxAgeMillis, LongSupplier wallClock) {
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
        this.wallClock = wallClock;
    }

    /** The identity verified for exactly this token, while it is still valid. */
    public Optional<SecurityIdentity> lookup(String token) {
        if (maxEntries <= 0) {
            return Optional.empty();
        }
        ByteBuffer key = key(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (wallClock.getAsLong() >= entry.validUntilMillis() || !entry.token().equals(token)) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        hits.incrementAndGet();
        return Optional.of(entry.identity());
    }

    /**
     * Remembers what quarkus-oidc made of a token it verified; {@code expSeconds} is the token's {@code exp}. A
     * token without one is not remembered.
     */
    public void remember(String token, SecurityIdentity identity, long expSeconds) {
        if (maxEntries <= 0 || expSeconds <= 0) {
            return;
        }
        long now = wallClock.getAsLong();
        long validUntil = Math.min(Math.multiplyExact(expSeconds, 1000L), now + maxAgeMillis);
        if (validUntil <= now) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> now >= e.validUntilMillis());
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key(token), new Entry(token, identity, validUntil));
    }

    /** Requests answered from the cache so far (tests, and the JFR-free way to see that it works). */
    public long hits() {
        return hits.get();
    }

    int size() {
        return entries.size();
    }

    private static ByteBuffer key(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
