package io.fleetprov.claims.store;

import java.util.UUID;

/** An event in the outbox, already encoded; {@code attempts} counts its sends so far. */
public record OutboxEntry(long id, UUID eventId, String topic, String payload, int attempts) {}
