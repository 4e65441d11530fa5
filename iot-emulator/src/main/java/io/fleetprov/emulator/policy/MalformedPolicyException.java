package io.fleetprov.emulator.policy;

/** A policy document AWS IoT would refuse; the name matches AWS IoT's own error code for CreatePolicy. */
public class MalformedPolicyException extends RuntimeException {
    public MalformedPolicyException(String message) {
        super(message);
    }
}
