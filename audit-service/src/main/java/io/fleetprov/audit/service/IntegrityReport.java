package io.fleetprov.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying links {@code from} through {@code to}: how many verified, the hash of the last good
 * link, the first broken link if there is one, and how the chain compares with the signed checkpoints.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrityReport(
        boolean intact,
        long from,
        long to,
        long verified,
        String lastVerifiedHash,
        BrokenLink firstBrokenLink,
        Anchor checkpoints) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BrokenLink(long seq, String eventId, String problem, String expectedHash, String storedHash) {}

    /**
     * The chain against the checkpoints written outside the database. {@code status}: {@code not-configured},
     * {@code none} (no checkpoint yet), {@code matches}, {@code truncated} (links the newest checkpoint anchors are
     * gone from the end), {@code rewritten} (a checkpointed link's hash is not the signed one) or {@code
     * unverifiable} (a checkpoint file whose signature does not verify).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Anchor(
            String status,
            int compared,
            Long checkpointSeq,
            String checkpointHash,
            Instant checkpointAt,
            Long headSeq,
            String storedHash,
            String detail,
            List<String> unverifiableFiles) {

        boolean holds() {
            return status.equals("matches") || status.equals("none") || status.equals("not-configured");
        }
    }
}
