package io.fleetprov.simulator.client;

/** Told what a {@link ProvisioningFlow} does, as it does it; the load generator records latency from this. */
public interface FlowListener {

    FlowListener NONE = new FlowListener() {};

    /** {@code startNanos}/{@code endNanos} are {@link System#nanoTime()} values. */
    default void phaseCompleted(Phase phase, long startNanos, long endNanos) {}

    /** One throttled attempt that will be retried (or, after the last attempt, fail). */
    default void throttled(Phase phase) {}

    /**
     * The connection was lost in {@code phase} before an answer came, and the device reconnects and tries again,
     * as device SDKs do; {@code key} is {@code phase/errorCode}.
     */
    default void retried(String key) {}
}
