package io.fleetprov.audit.service;

import io.fleetprov.audit.store.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * The signed batches kept beside the log (migration V5), by the digest their rows name ({@code signedBatch}): what an
 * auditor needs to re-verify a batched row's signature without access to the database.
 */
@ApplicationScoped
public class SignedBatches {

    /** A digest as the rows name it: fleet-protocol's {@code SignedBatch.digest}, lowercase hex SHA-256. */
    private static final int DIGEST_LENGTH = 64;

    private final EventStore store;

    public SignedBatches(EventStore store) {
        this.store = store;
    }

    /**
     * The batch's signed message exactly as stored (the compact JWS as received, whose SHA-256 is the digest). Only
     * the rows' own digest form is looked up, so nothing else a caller sends reaches the query, even as a bound value.
     */
    public byte[] message(String digest) {
        if (!isDigest(digest)) {
            throw new InvalidRequestException("a signed batch digest is 64 lowercase hex digits (SHA-256)");
        }
        return store.signedBatch(digest)
                .map(message -> message.getBytes(StandardCharsets.US_ASCII))
                .orElseThrow(() -> new NotFoundException("no signed batch is stored under this digest"));
    }

    static boolean isDigest(String digest) {
        if (digest == null || digest.length() != DIGEST_LENGTH) {
            return false;
        }
        for (int i = 0; i < DIGEST_LENGTH; i++) {
            char c = digest.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
