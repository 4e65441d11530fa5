package io.fleetprov.audit.store;

/** An event with its place in the chain: its sequence number, the previous link's hash and its own. */
public record ChainedEvent(long seq, AuditEvent event, byte[] prevHash, byte[] hash) {}
