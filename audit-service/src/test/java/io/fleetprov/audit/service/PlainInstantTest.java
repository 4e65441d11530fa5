package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** The occurredAt fast path accepts only what {@link Instant#parse} accepts, and the common forms. */
class PlainInstantTest {

    @Test
    void acceptsOnlyWhatInstantParseAccepts() {
        String[] values = {
            "2026-03-04T05:06:07Z",
            "2026-03-04T05:06:07.123Z",
            "2026-03-04T05:06:07.123456Z",
            "2026-03-04T05:06:07.123456789Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-03-04T24:00:00Z",
            "2026-03-04T23:59:60Z",
            "2026-03-04T23:60:00Z",
            "2026-03-04T05:06:07.12Z",
            "2026-03-04T05:06:07.1234Z",
            "2026-03-04T05:06:07+00:00",
            "2026-03-04 05:06:07Z",
            "2026-03-04T05:06:07z",
            "2026-03-04T05:06:07.12aZ",
            "+2026-03-04T05:06:07Z",
            "-0001-03-04T05:06:07Z",
            "２026-03-04T05:06:07Z",
            "2026-03-04T05:06:07.Z",
            "2026-03-04T05:06:07.123",
            "1700000000",
            ""
        };
        for (String value : values) {
            boolean parses;
            try {
                Instant.parse(value);
                parses = true;
            } catch (DateTimeParseException e) {
                parses = false;
            }
            if (EventParser.isPlainUtcInstant(value)) {
                assertThat(parses).as(value).isTrue();
            }
        }
        assertThat(EventParser.isPlainUtcInstant("2026-03-04T05:06:07.123Z")).isTrue();
        assertThat(EventParser.isPlainUtcInstant("2026-03-04T05:06:07Z")).isTrue();
        assertThat(EventParser.isPlainUtcInstant("2024-02-29T00:00:00.000000Z")).isTrue();
        assertThat(EventParser.isPlainUtcInstant("2023-02-29T00:00:00Z")).isFalse();
        assertThat(EventParser.isPlainUtcInstant("2026-03-04T24:00:00Z")).isFalse();
    }
}
