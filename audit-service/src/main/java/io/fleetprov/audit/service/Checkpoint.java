package io.fleetprov.audit.service;

import java.time.Instant;

/** A signed statement that the chain's link {@code seq} had hash {@code hash} (hex) at {@code createdAt}. */
public record Checkpoint(long seq, String hash, Instant createdAt) {}
