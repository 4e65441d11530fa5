package io.fleetprov.audit.service;

import java.time.Instant;
import java.util.List;

/**
 * Something in the record that should not be there. {@code subject} says what it is about
 * ({@code claim:…}, {@code thing:…}, {@code serial:…}, {@code installer:…}, {@code certificate:…});
 * {@code eventIds} are the events that show it.
 */
public record Anomaly(Kind kind, String subject, Instant at, String detail, List<String> eventIds) {

    public enum Kind {
        CLAIM_USED_TWICE,
        WRONG_SERIAL,
        CLAIM_EXPIRED_UNUSED,
        THING_WITHOUT_CLAIM,
        SERIAL_PROVISIONED_TWICE,
        DENIAL_BURST,
        NEVER_RECONNECTED
    }
}
