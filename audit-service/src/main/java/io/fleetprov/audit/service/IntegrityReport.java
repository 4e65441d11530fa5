package io.fleetprov.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of verifying links {@code from} through {@code to}: how many verified, the hash of the last good
 * link, and the first broken link if there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntegrityReport(
        boolean intact, long from, long to, long verified, String lastVerifiedHash, BrokenLink firstBrokenLink) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BrokenLink(long seq, String eventId, String problem, String expectedHash, String storedHash) {}
}
