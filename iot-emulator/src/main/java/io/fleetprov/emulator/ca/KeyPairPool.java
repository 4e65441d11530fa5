package io.fleetprov.emulator.ca;

import java.security.KeyPair;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Hands out key pairs without making callers wait for generation. RSA-2048 generation costs 100-200 ms of CPU, so a
 * pool of pre-generated pairs is refilled by one low-priority daemon thread. When the pool is empty, take() generates
 * on the calling thread: a burst then uses every core instead of queueing behind the single refill thread.
 */
public final class KeyPairPool implements AutoCloseable {
    private final KeyAlgorithm algorithm;
    private final BlockingQueue<KeyPair> ready = new LinkedBlockingQueue<>();
    /** One permit per missing pair; the refill thread sleeps on it instead of polling. */
    private final Semaphore missing;

    private final Thread refiller;

    public KeyPairPool(KeyAlgorithm algorithm, int targetSize) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (targetSize < 0) {
            throw new IllegalArgumentException("targetSize must be >= 0, was " + targetSize);
        }
        this.missing = new Semaphore(targetSize);
        if (targetSize == 0) {
            this.refiller = null;
        } else {
            this.refiller = new Thread(
                    this::refill, "fleetprov-keypool-" + algorithm.name().toLowerCase(Locale.ROOT));
            refiller.setDaemon(true);
            refiller.setPriority(Thread.MIN_PRIORITY);
            refiller.start();
        }
    }

    public KeyPair take() {
        KeyPair pooled = ready.poll();
        if (pooled == null) {
            return algorithm.generate();
        }
        missing.release();
        return pooled;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** Stops the refill thread; take() keeps working (from what is left, then generating inline). */
    @Override
    public void close() {
        if (refiller == null) {
            return;
        }
        refiller.interrupt();
        try {
            // A generation in progress does not notice the interrupt; it finishes within a fraction of a second.
            refiller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pairs ready right now; for tests. */
    int available() {
        return ready.size();
    }

    /** Whether the refill thread is running; for tests. */
    boolean refilling() {
        return refiller != null && refiller.isAlive();
    }

    private void refill() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                missing.acquire();
                ready.add(algorithm.generate());
            }
        } catch (InterruptedException e) {
            // close() asked us to stop; nothing to clean up.
        }
    }

    @Override
    public String toString() {
        return "KeyPairPool[" + algorithm + ", ready=" + ready.size() + "]";
    }
}
