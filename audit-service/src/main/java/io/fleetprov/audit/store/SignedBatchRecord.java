package io.fleetprov.audit.store;

import java.time.Instant;

/**
 * A signed batch's message as received (fleet-protocol's {@code SignedBatch}): the compact JWS the signer's signature
 * covers, kept once under its digest, which the rows of its events name ({@link AuditField#SIGNED_BATCH}). Without it
 * a batched row would carry only the signer's kid, with nothing an auditor could verify again.
 */
public record SignedBatchRecord(String digest, String signer, Instant receivedAt, String message) {}
