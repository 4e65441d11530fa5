package io.fleetprov.audit.store;

/**
 * An event ready to be chained ({@link HashChain#prepare}): its payload as JSON text for the column, and its
 * canonical bytes before and after the sequence number (both null when only the reference canonicalizer can write
 * them, in which case the hash is computed from the event itself).
 */
public record PreparedEvent(AuditEvent event, String payloadJson, byte[] canonicalHead, byte[] canonicalTail) {}
