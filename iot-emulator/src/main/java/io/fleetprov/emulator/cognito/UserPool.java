package io.fleetprov.emulator.cognito;

import java.time.Instant;

/** A user pool as created; {@code issuer} is the {@code iss} of every token the pool signs. */
public record UserPool(String id, String name, String arn, String issuer, Instant creationDate) {}
