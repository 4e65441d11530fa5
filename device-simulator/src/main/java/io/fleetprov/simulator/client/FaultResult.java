package io.fleetprov.simulator.client;

/**
 * What the server did with a faulty device. {@code observed} is the error code of the refusal, or
 * {@code "accepted"} when nothing refused it; {@code asExpected} is true when the refusal was the right one.
 */
public record FaultResult(FaultMode mode, String observed, boolean asExpected) {

    public static final String ACCEPTED = "accepted";
}
