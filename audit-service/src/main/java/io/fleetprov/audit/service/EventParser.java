package io.fleetprov.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.SignedBatchRecord;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.codec.PayloadException;
import io.fleetprov.protocol.event.EnvelopeField;
import io.fleetprov.protocol.event.EventSignatureException;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.protocol.event.SignedBatch;
import io.fleetprov.protocol.event.SignedEvent;
import io.fleetprov.protocol.event.TraceIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an MQTT message into an {@link AuditEvent}: the fleetprov envelope on {@code fleetprov/events/{type}},
 * AWS thing events on {@code $aws/events/thing/{name}/{op}} and presence events on
 * {@code $aws/events/presence/{eventType}/{clientId}}. Anything it cannot vouch for is refused with a
 * {@link MalformedEventException} saying why. The fleetprov envelope is read with fleet-protocol's codec into a
 * {@link FleetEvent}, so an unknown type or outcome is refused too. A fleetprov event must be signed by a trusted
 * key ({@link EventSignatures}) or it is refused as {@link #BAD_SIGNATURE}; what is kept is the envelope it signed,
 * and the signer's kid. AWS's events are kept as received.
 */
@ApplicationScoped
public class EventParser {

    private static final String FLEETPROV_PREFIX = "fleetprov/events/";
    private static final String THING_PREFIX = "$aws/events/thing/";
    private static final String PRESENCE_PREFIX = "$aws/events/presence/";

    /** The quarantine reason of a fleetprov event that is not validly signed by a trusted key. */
    public static final String BAD_SIGNATURE = "bad-signature";

    /** The quarantine reason of a batch with more events than {@link SignedBatch#MAX_EVENTS}. */
    public static final String BATCH_TOO_LARGE = "batch-too-large";

    private static final EnvelopeField[] ENVELOPE = EnvelopeField.values();

    /** How the codec's refusals start, kept for an envelope's values the codec used to refuse. */
    private static final String MALFORMED = "malformed JSON payload: ";

    private final String serialAttribute;
    private final EventVerifier verifier;

    public EventParser(AuditConfig config, EventSignatures signatures) {
        this.serialAttribute = config.custody().serialAttribute();
        this.verifier = signatures.verifier();
    }

    /** Whether this message is a signed batch of fleetprov events, to be read by {@link #parseBatch}. */
    public boolean isBatch(String topic, byte[] payload) {
        return topic.startsWith(FLEETPROV_PREFIX) && EventVerifier.claimsBatch(payload);
    }

    /**
     * Reads a {@link SignedBatch}: its signature is checked once, for the whole batch, and a batch that fails it, or
     * holds more than {@link SignedBatch#MAX_EVENTS} events, is refused whole with a {@link MalformedEventException}.
     * Otherwise each event is read as a single one on this topic would be, and one that cannot be read is refused
     * alone: the batch's other events are kept.
     */
    public BatchContent parseBatch(String topic, byte[] payload, Instant receivedAt) {
        Instant received = receivedAt.truncatedTo(ChronoUnit.MILLIS);
        SignedBatch batch;
        try {
            batch = verifier.verifyBatch(payload);
        } catch (EventSignatureException e) {
            throw new MalformedEventException(BAD_SIGNATURE + ": " + e.getMessage());
        }
        List<byte[]> envelopes = batch.envelopes();
        if (envelopes.size() > SignedBatch.MAX_EVENTS) {
            throw new MalformedEventException(
                    BATCH_TOO_LARGE + ": " + envelopes.size() + " events, more than " + SignedBatch.MAX_EVENTS);
        }
        SignedBatchRecord record = new SignedBatchRecord(
                batch.digest(), batch.signer(), received, new String(batch.message(), StandardCharsets.US_ASCII));
        List<BatchContent.Read> events = new ArrayList<>(envelopes.size());
        List<BatchContent.Refused> refused = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            byte[] envelope = envelopes.get(i);
            try {
                AuditEvent event = fleetEvent(
                                topic,
                                topic.substring(FLEETPROV_PREFIX.length()),
                                readObject(envelope),
                                received,
                                batch.signer())
                        .inBatch(record.digest());
                EventLimits.check(event);
                events.add(new BatchContent.Read(event, envelope));
            } catch (MalformedEventException e) {
                refused.add(new BatchContent.Refused(
                        envelope,
                        "batch event " + (i + 1) + " of " + envelopes.size() + " (" + record.digest() + "): "
                                + e.getMessage()));
            } catch (RuntimeException e) {
                refused.add(new BatchContent.Refused(
                        envelope, "batch event " + (i + 1) + " of " + envelopes.size() + ": unreadable: " + e));
            }
        }
        return new BatchContent(record, events, refused);
    }

    /**
     * A signed batch as read: the batch to keep, its events that were read (in batch order) and those refused, each
     * with the envelope bytes it came as (and why it was refused).
     */
    public record BatchContent(SignedBatchRecord batch, List<Read> events, List<Refused> refused) {

        public record Read(AuditEvent event, byte[] envelope) {}

        public record Refused(byte[] envelope, String reason) {}
    }

    public AuditEvent parse(String topic, byte[] payload, Instant receivedAt) {
        Instant received = receivedAt.truncatedTo(ChronoUnit.MILLIS);
        if (topic.startsWith(FLEETPROV_PREFIX)) {
            // Anyone with a service identity may publish here, so only the signature says who wrote the event; the
            // envelope inside is then read exactly as it was signed.
            SignedEvent signed;
            try {
                signed = verifier.verify(payload);
            } catch (EventSignatureException e) {
                throw new MalformedEventException(BAD_SIGNATURE + ": " + e.getMessage());
            }
            return fleetEvent(
                    topic,
                    topic.substring(FLEETPROV_PREFIX.length()),
                    readObject(signed.envelope()),
                    received,
                    signed.signer());
        }
        JsonNode body = readObject(payload);
        if (topic.startsWith(THING_PREFIX)) {
            String[] levels = levels(topic, THING_PREFIX, 2);
            return thingEvent(topic, levels[0], levels[1], body, received);
        }
        if (topic.startsWith(PRESENCE_PREFIX)) {
            String[] levels = levels(topic, PRESENCE_PREFIX, 2);
            return presenceEvent(topic, levels[0], levels[1], body, received);
        }
        throw new MalformedEventException("topic " + topic + " is not an audited event topic");
    }

    /**
     * The envelope's columns, read straight from the tree it was parsed into: every envelope field must be a string
     * (or absent), the type one of {@link EventType}'s and the topic's, the outcome one {@link Outcome} reads, and
     * occurredAt an instant {@link Instant#parse} accepts — what reading it into a {@link FleetEvent} with
     * fleet-protocol's codec accepted, without building that record from the tree a second time (that conversion was
     * a fifth of the parsers' CPU; EnvelopeReadTest holds the two to the same result).
     */
    static AuditEvent fleetEvent(String topic, String topicType, JsonNode body, Instant received, String signer) {
        String[] text = new String[ENVELOPE.length];
        for (int i = 0; i < ENVELOPE.length; i++) {
            text[i] = text(body, ENVELOPE[i].jsonName()); // every envelope field is a string on the wire
        }
        String type = requiredText(body, EnvelopeField.TYPE.jsonName());
        String eventId = requiredText(body, EnvelopeField.EVENT_ID.jsonName());
        if (!type.equals(topicType)) {
            throw new MalformedEventException("type " + type + " does not match topic " + topic);
        }
        String occurredAt = requiredText(body, EnvelopeField.OCCURRED_AT.jsonName());
        Instant occurred = isPlainUtcInstant(occurredAt)
                ? plainUtcInstant(occurredAt)
                : instant(occurredAt, EnvelopeField.OCCURRED_AT.jsonName());
        EventType eventType = EventType.fromWire(type)
                .orElseThrow(() -> new MalformedEventException(MALFORMED + "unknown event type " + type));
        String outcomeText = text[EnvelopeField.OUTCOME.ordinal()];
        Outcome outcome = outcomeText == null
                ? null
                : Outcome.read(outcomeText)
                        .orElseThrow(() -> new MalformedEventException(MALFORMED + "unknown outcome " + outcomeText));
        String source = text[EnvelopeField.SOURCE.ordinal()];
        String traceId = text[EnvelopeField.TRACE_ID.ordinal()];
        return new AuditEvent(
                eventId,
                eventType.wire(),
                source == null ? "unknown" : source,
                topic,
                occurred.truncatedTo(ChronoUnit.MILLIS),
                received,
                text[EnvelopeField.INSTALLER.ordinal()],
                text[EnvelopeField.SERIAL_NUMBER.ordinal()],
                text[EnvelopeField.TEMPLATE_NAME.ordinal()],
                text[EnvelopeField.CLAIM_CERTIFICATE_ID.ordinal()],
                text[EnvelopeField.CERTIFICATE_ID.ordinal()],
                text[EnvelopeField.THING_NAME.ordinal()],
                null,
                outcome == null ? null : outcome.wire(),
                text[EnvelopeField.REASON.ordinal()],
                signer,
                // The payload keeps whatever was sent; the column holds only a real W3C trace id, so a query by trace
                // finds no row by a look-alike, and an event is never refused for its trace id alone.
                TraceIds.isTraceId(traceId) ? traceId : null,
                null,
                body);
    }

    private AuditEvent thingEvent(String topic, String thingName, String operation, JsonNode body, Instant received) {
        String type = switch (operation) {
            case "created" -> EventTypes.THING_CREATED;
            case "updated" -> EventTypes.THING_UPDATED;
            case "deleted" -> EventTypes.THING_DELETED;
            default -> throw new MalformedEventException("unknown thing operation " + operation);
        };
        if (!thingName.equals(requiredText(body, "thingName"))) {
            throw new MalformedEventException("thingName does not match topic " + topic);
        }
        if (!operation.toUpperCase(Locale.ROOT).equals(requiredText(body, "operation"))) {
            throw new MalformedEventException("operation does not match topic " + topic);
        }
        JsonNode attributes = body.path("attributes");
        String serial = attributes.isObject() ? text(attributes, serialAttribute) : null;
        return new AuditEvent(
                requiredText(body, "eventId"),
                type,
                EventTypes.AWS_IOT,
                topic,
                millis(body, "timestamp"),
                received,
                null,
                serial,
                null,
                null,
                null,
                thingName,
                null,
                null,
                null,
                null,
                null,
                null,
                body);
    }

    private AuditEvent presenceEvent(String topic, String eventType, String clientId, JsonNode body, Instant received) {
        String type = switch (eventType) {
            case "connected" -> EventTypes.PRESENCE_CONNECTED;
            case "disconnected" -> EventTypes.PRESENCE_DISCONNECTED;
            default -> throw new MalformedEventException("unknown presence event " + eventType);
        };
        if (!clientId.equals(requiredText(body, "clientId"))) {
            throw new MalformedEventException("clientId does not match topic " + topic);
        }
        if (!eventType.equals(requiredText(body, "eventType"))) {
            throw new MalformedEventException("eventType does not match topic " + topic);
        }
        Instant timestamp = millis(body, "timestamp");
        String session = requiredText(body, "sessionIdentifier");
        // AWS gives presence events no id; these four fields identify one, and stay equal on redelivery.
        String eventId = "presence:" + clientId + ":" + timestamp.toEpochMilli() + ":" + eventType + ":" + session;
        String reason = text(body, "disconnectReason");
        return new AuditEvent(
                eventId,
                type,
                EventTypes.AWS_IOT,
                topic,
                timestamp,
                received,
                null,
                null,
                null,
                null,
                text(body, "principalIdentifier"),
                null,
                clientId,
                null,
                reason,
                null,
                null,
                null,
                body);
    }

    private static JsonNode readObject(byte[] payload) {
        JsonNode body;
        try {
            body = PayloadCodec.json().decode(payload, JsonNode.class);
        } catch (PayloadException e) {
            throw new MalformedEventException(e.getMessage());
        }
        if (!body.isObject()) {
            throw new MalformedEventException(
                    "payload is a JSON " + body.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
        }
        if (containsNul(body)) {
            // PostgreSQL's jsonb cannot hold U+0000; no genuine event carries one.
            throw new MalformedEventException("payload contains a U+0000 character");
        }
        return body;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            if (names.next().indexOf('\0') >= 0) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (containsNul(child)) {
                return true;
            }
        }
        return false;
    }

    private static String[] levels(String topic, String prefix, int count) {
        String[] levels = topic.substring(prefix.length()).split("/", -1);
        if (levels.length != count || levels[0].isEmpty() || levels[1].isEmpty()) {
            throw new MalformedEventException("unexpected topic " + topic);
        }
        return levels;
    }

    private static String requiredText(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("missing " + field);
        }
        return value;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.getNodeType() != JsonNodeType.STRING) {
            throw new MalformedEventException(field + " is not a string");
        }
        return node.textValue();
    }

    /**
     * Whether {@code value} is an instant as producers write it ({@code 2026-03-04T05:06:07.123Z}: four-digit year,
     * seconds, none or 3, 6 or 9 fraction digits, {@code Z}) and a real one. True only where {@link Instant#parse}
     * accepts it too; false where unsure, and then {@link Instant#parse} decides. The check that occurredAt is an
     * instant runs for every event of every batch, and {@link Instant#parse} was a tenth of the parsers' CPU.
     */
    static boolean isPlainUtcInstant(String value) {
        int length = value.length();
        if (length != 20 && length != 24 && length != 27 && length != 30) {
            return false;
        }
        if (value.charAt(4) != '-'
                || value.charAt(7) != '-'
                || value.charAt(10) != 'T'
                || value.charAt(13) != ':'
                || value.charAt(16) != ':'
                || value.charAt(length - 1) != 'Z'
                || (length > 20 && value.charAt(19) != '.')) {
            return false;
        }
        for (int i = 0; i < length - 1; i++) {
            if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19) {
                continue;
            }
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        int hour = digits(value, 11);
        int minute = digits(value, 14);
        int second = digits(value, 17);
        if (hour > 23 || minute > 59 || second > 59) {
            // Instant.parse reads 24:00 and leap seconds its own way: leave them to it.
            return false;
        }
        try {
            LocalDate.of(digits(value, 0) * 100 + digits(value, 2), digits(value, 5), digits(value, 8));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The instant of a value {@link #isPlainUtcInstant} accepted, as {@link Instant#parse} reads it. */
    static Instant plainUtcInstant(String value) {
        int length = value.length();
        int nanos = 0;
        for (int i = 20; i < length - 1; i++) {
            nanos = nanos * 10 + (value.charAt(i) - '0');
        }
        for (int i = length - 1; i < 29 && length > 20; i++) {
            nanos *= 10;
        }
        long days = LocalDate.of(digits(value, 0) * 100 + digits(value, 2), digits(value, 5), digits(value, 8))
                .toEpochDay();
        long seconds = days * 86_400 + digits(value, 11) * 3600L + digits(value, 14) * 60L + digits(value, 17);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static int digits(String value, int at) {
        return (value.charAt(at) - '0') * 10 + (value.charAt(at + 1) - '0');
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(field + " is not an ISO-8601 instant");
        }
    }

    private static Instant millis(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.canConvertToExactIntegral() || !node.isNumber() || node.asLong() <= 0) {
            throw new MalformedEventException(field + " is not a positive number of milliseconds");
        }
        return Instant.ofEpochMilli(node.asLong());
    }
}
