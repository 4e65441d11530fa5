package io.fleetprov.protocol.event;

import java.util.Locale;
import java.util.function.Function;

/**
 * The fields of the {@link FleetEvent} envelope, in envelope order, each with its JSON name and its value as the
 * text the wire carries. Code that stores, hashes or lists the envelope field by field iterates this, so a new
 * field is added here and in {@link FleetEvent}, nowhere else.
 */
public enum EnvelopeField {
    EVENT_ID("eventId", FleetEvent::eventId),
    TYPE("type", e -> e.type() == null ? null : e.type().wire()),
    OCCURRED_AT(
            "occurredAt", e -> e.occurredAt() == null ? null : e.occurredAt().toString()),
    SOURCE("source", FleetEvent::source),
    INSTALLER("installer", FleetEvent::installer),
    SERIAL_NUMBER("serialNumber", FleetEvent::serialNumber),
    TEMPLATE_NAME("templateName", FleetEvent::templateName),
    CLAIM_CERTIFICATE_ID("claimCertificateId", FleetEvent::claimCertificateId),
    CERTIFICATE_ID("certificateId", FleetEvent::certificateId),
    THING_NAME("thingName", FleetEvent::thingName),
    OUTCOME("outcome", e -> e.outcome() == null ? null : e.outcome().wire()),
    REASON("reason", FleetEvent::reason),
    TRACE_ID("traceId", FleetEvent::traceId);

    private final String jsonName;
    private final Function<FleetEvent, String> text;

    EnvelopeField(String jsonName, Function<FleetEvent, String> text) {
        this.jsonName = jsonName;
        this.text = text;
    }

    /** The field's name in the JSON envelope. */
    public String jsonName() {
        return jsonName;
    }

    /** The field's name as a SQL column: {@code claimCertificateId} is {@code claim_certificate_id}. */
    public String columnName() {
        return jsonName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** The field's value in {@code event} as the wire writes it, or null when absent. */
    public String text(FleetEvent event) {
        return text.apply(event);
    }
}
