package io.fleetprov.claims.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of an installer's claims ends: the last claim's request time and row id, base64url-encoded so that
 * clients treat it as opaque. It carries nothing secret and grants nothing: every page is queried for the caller.
 */
record ClaimCursor(Instant requestedAt, UUID id) {

    private static final int MAX_LENGTH = 128;

    String encode() {
        String clear = requestedAt.getEpochSecond() + "." + requestedAt.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(clear.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws ClaimRefusedException (invalid input) for anything this class did not encode */
    static ClaimCursor decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        try {
            String clear = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = clear.split("\\.", -1);
            if (parts.length != 3) {
                throw invalid();
            }
            return new ClaimCursor(
                    Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static ClaimRefusedException invalid() {
        return new ClaimRefusedException(
                RefusalReason.INVALID_INPUT, "cursor is not one this service returned; start again without it");
    }
}
