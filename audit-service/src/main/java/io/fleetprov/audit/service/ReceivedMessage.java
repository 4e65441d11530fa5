package io.fleetprov.audit.service;

import java.time.Instant;

/** A message from the broker that must be acknowledged only once its row is committed. */
public record ReceivedMessage(String topic, byte[] payload, Instant receivedAt, Runnable acknowledge) {}
