package io.fleetprov.audit.store;

import java.time.Instant;

/** A message that could not be read, with why. */
public record QuarantinedMessage(String topic, byte[] payload, String reason, Instant receivedAt) {}
