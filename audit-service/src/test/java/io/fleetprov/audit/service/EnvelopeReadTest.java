package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.codec.PayloadException;
import io.fleetprov.protocol.event.EnvelopeField;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.TraceIds;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The envelope is read into its columns straight from the JSON tree ({@link EventParser#fleetEvent}); this holds that
 * reading to what converting the tree into fleet-protocol's {@link FleetEvent} with its codec gave before: the same
 * columns for every envelope that reading accepted, a refusal for every one it refused.
 */
class EnvelopeReadTest {

    private static final String TOPIC = "fleetprov/events/";
    private static final Instant RECEIVED = Instant.parse("2026-12-03T10:00:00.123Z");

    private static final String[] TYPES = {"ClaimIssued", "HookDecision", "DeviceReplaced", "Unknown", "claimissued"};
    private static final String[] OUTCOMES = {
        null, "allow", "deny", "ALLOW", "Deny", "allowed", "denied", "refused", "issued", "", " allow", "maybe"
    };
    private static final String[] DATES = {
        "2026-12-03T10:00:00.123Z",
        "2026-12-03T10:00:00Z",
        "2026-12-03T10:00:00.123456Z",
        "2026-12-03T10:00:00.123456789Z",
        "2026-12-03T10:00:00.1Z",
        "2026-12-03T10:00:00+00:00",
        "2026-12-03T10:00:00+01:30",
        "0000-01-01T00:00:00Z",
        "1000-06-15T12:00:00Z",
        "1582-10-10T00:00:00Z",
        "-4713-11-24T00:00:00Z",
        "+10000-01-01T00:00:00Z",
        "+300000-01-01T00:00:00Z",
        "2024-02-29T23:59:59.999Z",
        "2024-02-30T00:00:00Z",
        "2026-12-03T24:00:00Z",
        "2026-12-03T23:59:60Z",
        "1700000000",
        "1700000000.5",
        "not a date",
        ""
    };
    private static final String[] TRACES = {null, "4bf92f3577b34da6a3ce929d0e0e4736", "req-123", "0".repeat(32)};

    @Test
    void readsEveryEnvelopeAsTheCodecDid() {
        Random random = new Random(14);
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            String topicType = TYPES[random.nextInt(TYPES.length)];
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("eventId", "event-" + i);
            body.put("type", random.nextInt(10) == 0 ? TYPES[random.nextInt(TYPES.length)] : topicType);
            body.put("occurredAt", DATES[random.nextInt(DATES.length)]);
            if (random.nextBoolean()) {
                body.put("source", "claim-service");
            }
            for (String field : List.of(
                    "installer",
                    "serialNumber",
                    "templateName",
                    "claimCertificateId",
                    "certificateId",
                    "thingName",
                    "reason")) {
                if (random.nextBoolean()) {
                    body.put(field, field + "-" + i);
                }
            }
            String outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
            if (outcome != null) {
                body.put("outcome", outcome);
            }
            String trace = TRACES[random.nextInt(TRACES.length)];
            if (trace != null) {
                body.put("traceId", trace);
            }
            if (random.nextInt(8) == 0) {
                body.put("unknownField", random.nextInt()); // ignored by both
            }
            if (random.nextInt(12) == 0) {
                body.put("thingName", random.nextInt()); // not a string: refused by both
            }
            if (random.nextInt(12) == 0) {
                body.putNull("installer");
            }
            String topic = TOPIC + topicType;
            AuditEvent expected = reference(topic, topicType, body);
            AuditEvent actual;
            try {
                actual = EventParser.fleetEvent(topic, topicType, body, RECEIVED, "kid");
            } catch (MalformedEventException e) {
                actual = null;
            }
            assertThat(actual).as(body.toString()).isEqualTo(expected);
            if (actual != null) {
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(500);
    }

    @Test
    void refusesWhatTheCodecRefusedWithTheCodecsPrefix() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("eventId", "e");
        body.put("type", "Unknown");
        body.put("occurredAt", "2026-12-03T10:00:00Z");
        try {
            EventParser.fleetEvent(TOPIC + "Unknown", "Unknown", body, RECEIVED, "kid");
            throw new AssertionError("accepted an unknown type");
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).startsWith("malformed JSON payload: ");
        }
    }

    @Test
    void plainInstantsAreWhatInstantParseReads() {
        List<String> values = new ArrayList<>(List.of(
                "2026-03-04T05:06:07Z",
                "2026-03-04T05:06:07.120Z",
                "2026-03-04T05:06:07.000001Z",
                "2026-03-04T05:06:07.999999999Z",
                "0000-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z",
                "9999-12-31T23:59:59.999Z"));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            values.add(Instant.ofEpochSecond(random.nextLong() % 253_402_300_799L, random.nextInt(1_000_000_000))
                    .truncatedTo(random.nextBoolean() ? ChronoUnit.MILLIS : ChronoUnit.MICROS)
                    .toString());
        }
        for (String value : values) {
            if (EventParser.isPlainUtcInstant(value)) {
                assertThat(EventParser.plainUtcInstant(value)).as(value).isEqualTo(Instant.parse(value));
            }
        }
    }

    /** The reading before: checks on the tree, then the codec's conversion into a {@link FleetEvent}. */
    private static AuditEvent reference(String topic, String topicType, JsonNode body) {
        try {
            for (EnvelopeField field : EnvelopeField.values()) {
                JsonNode node = body.get(field.jsonName());
                if (node != null && !node.isNull() && !node.isTextual()) {
                    return null;
                }
            }
            JsonNode type = body.get("type");
            JsonNode eventId = body.get("eventId");
            if (type == null || type.isNull() || type.textValue().isBlank()) {
                return null;
            }
            if (eventId == null || eventId.isNull() || eventId.textValue().isBlank()) {
                return null;
            }
            if (!type.textValue().equals(topicType)) {
                return null;
            }
            JsonNode occurredAt = body.get("occurredAt");
            if (occurredAt == null
                    || occurredAt.isNull()
                    || occurredAt.textValue().isBlank()) {
                return null;
            }
            Instant.parse(occurredAt.textValue());
            FleetEvent event = PayloadCodec.json().convert(body, FleetEvent.class);
            return new AuditEvent(
                    event.eventId(),
                    event.type().wire(),
                    event.source() == null ? "unknown" : event.source(),
                    topic,
                    event.occurredAt().truncatedTo(ChronoUnit.MILLIS),
                    RECEIVED,
                    event.installer(),
                    event.serialNumber(),
                    event.templateName(),
                    event.claimCertificateId(),
                    event.certificateId(),
                    event.thingName(),
                    null,
                    event.outcome() == null ? null : event.outcome().wire(),
                    event.reason(),
                    "kid",
                    TraceIds.isTraceId(event.traceId()) ? event.traceId() : null,
                    null,
                    body);
        } catch (PayloadException | DateTimeParseException e) {
            return null;
        }
    }
}
