package io.fleetprov.simulator.client;

/** A device's flow stopped in {@link #phase()} because of {@link #failure()}. */
public final class FlowException extends RuntimeException {

    private final Phase phase;
    private final DeviceException failure;

    public FlowException(Phase phase, DeviceException failure) {
        super(phase.label() + ": " + failure.getMessage(), failure);
        this.phase = phase;
        this.failure = failure;
    }

    public Phase phase() {
        return phase;
    }

    public DeviceException failure() {
        return failure;
    }

    /** {@code phase/errorCode}, the key reports count failures by. */
    public String key() {
        return phase.label() + "/" + failure.errorCode();
    }
}
