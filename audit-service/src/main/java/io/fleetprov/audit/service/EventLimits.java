package io.fleetprov.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.audit.store.AuditEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses, before any database round trip, the values PostgreSQL or the hash chain would refuse or silently change.
 * Each refusal is a {@link MalformedEventException} whose message becomes the quarantine reason. What this misses
 * the database still refuses, and the writer isolates and quarantines that row; this only saves the round trips
 * and gives the reason in plain words.
 */
final class EventLimits {

    /**
     * PostgreSQL's timestamptz range is 4714 BC (Julian day 0) to 294276 AD, but pgjdbc reads its very first day back
     * as {@code OffsetDateTime.MIN}: so from 4713 BC, whose instants all come back as they went in.
     */
    static final Instant EARLIEST = Instant.parse("-4712-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999Z");

    /**
     * Columns that are indexed: a B-tree entry holds at most 2704 bytes, and 256 characters of up to 4 UTF-8 bytes
     * stay well below that. AWS's own identifiers are shorter (thing name and client id 128, certificate id 64).
     */
    static final int MAX_IDENTIFIER = 256;

    /**
     * Envelopes are flat and AWS's events two levels deep. Deeper payloads serve no event, and every reader of the
     * log — JCS, jsonb, API clients — recurses through them.
     */
    static final int MAX_DEPTH = 32;

    static final int MAX_TOPIC = 1024;
    static final int MAX_REASON = 4096;

    private EventLimits() {}

    static void check(AuditEvent e) {
        if (e.occurredAt().isBefore(EARLIEST) || e.occurredAt().isAfter(LATEST)) {
            throw new MalformedEventException(
                    "occurredAt " + e.occurredAt() + " is outside PostgreSQL's timestamp range (4713 BC to 294276 AD)");
        }
        identifier("eventId", e.eventId());
        identifier("type", e.eventType());
        identifier("source", e.source());
        identifier("installer", e.installer());
        identifier("serialNumber", e.serialNumber());
        identifier("templateName", e.templateName());
        identifier("claimCertificateId", e.claimCertificateId());
        identifier("certificateId", e.certificateId());
        identifier("thingName", e.thingName());
        identifier("clientId", e.clientId());
        identifier("outcome", e.outcome());
        bounded("topic", e.topic(), MAX_TOPIC);
        bounded("reason", e.reason(), MAX_REASON);
        payload(e.payload(), "payload", 1);
    }

    private static void identifier(String field, String value) {
        bounded(field, value, MAX_IDENTIFIER);
    }

    private static void bounded(String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw new MalformedEventException(
                    field + " is longer than " + max + " characters (" + value.length() + ")");
        }
        storableText(field, value);
    }

    /** Every string and field name must survive UTF-8 and jsonb; every number must have a JCS form. */
    private static void payload(JsonNode node, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedEventException(where + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isTextual()) {
            storableText(where, node.textValue());
        } else if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            throw new MalformedEventException(where + " holds a number beyond the range of a double");
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                storableText(where + " field name", field.getKey());
                payload(field.getValue(), where, depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                payload(child, where, depth + 1);
            }
        }
    }

    /**
     * PostgreSQL text and jsonb cannot hold U+0000, and an unpaired UTF-16 surrogate has no UTF-8 form: the driver
     * would store a '?' in its place, and the row would no longer match the hash computed from the original.
     */
    private static void storableText(String where, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new MalformedEventException(where + " contains a U+0000 character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedEventException(where + " contains an unpaired UTF-16 surrogate");
            }
        }
    }
}
