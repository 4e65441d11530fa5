package io.fleetprov.claims.store;

import java.util.UUID;

/** An event waiting in the outbox, already encoded. */
public record OutboxEntry(long id, UUID eventId, String topic, String payload) {}
