package io.fleetprov.audit.store;

import io.fleetprov.protocol.event.EnvelopeField;
import java.util.function.Function;

/**
 * The fields of an {@link AuditEvent} that the log stores in their own column, in column order. The column, the
 * hash chain's canonical form, the API and the CSV export all take their names from here; fields of the fleetprov
 * envelope take theirs from {@link EnvelopeField}. The payload, the sequence number and the hashes are the chain's
 * own and are not listed.
 */
public enum AuditField {
    EVENT_ID(EnvelopeField.EVENT_ID, AuditEvent::eventId, true),
    // The envelope's "type"; the column and the canonical form have always said eventType.
    EVENT_TYPE("event_type", "eventType", EnvelopeField.TYPE.jsonName(), AuditEvent::eventType, true),
    SOURCE(EnvelopeField.SOURCE, AuditEvent::source, true),
    TOPIC("topic", "topic", "topic", AuditEvent::topic, true),
    OCCURRED_AT(EnvelopeField.OCCURRED_AT, AuditEvent::occurredAt, true),
    RECEIVED_AT("received_at", "receivedAt", "receivedAt", AuditEvent::receivedAt, true),
    INSTALLER(EnvelopeField.INSTALLER, AuditEvent::installer, false),
    SERIAL_NUMBER(EnvelopeField.SERIAL_NUMBER, AuditEvent::serialNumber, false),
    TEMPLATE_NAME(EnvelopeField.TEMPLATE_NAME, AuditEvent::templateName, false),
    CLAIM_CERTIFICATE_ID(EnvelopeField.CLAIM_CERTIFICATE_ID, AuditEvent::claimCertificateId, false),
    CERTIFICATE_ID(EnvelopeField.CERTIFICATE_ID, AuditEvent::certificateId, false),
    THING_NAME(EnvelopeField.THING_NAME, AuditEvent::thingName, false),
    // AWS presence events name a client, which the fleetprov envelope has no field for.
    CLIENT_ID("client_id", "clientId", "clientId", AuditEvent::clientId, false),
    OUTCOME(EnvelopeField.OUTCOME, AuditEvent::outcome, false),
    REASON(EnvelopeField.REASON, AuditEvent::reason, false),
    // Not an envelope field: the kid of the key whose signature audit-service verified (V3). Optional, so links of
    // events without a signer (AWS's, and those stored before V3) hash as they always did.
    SIGNER("signer", "signer", "signer", AuditEvent::signer, false),
    // The envelope's traceId (V4). It is in the payload, so already under the hash; as a column it is in the canonical
    // form too, like every other column taken out of the payload, so that changing the indexed column alone (to hide
    // a row from its trace, or to move one into another) breaks the link. Optional: links stored before V4 and
    // AWS's events hash as they always did.
    TRACE_ID(EnvelopeField.TRACE_ID, AuditEvent::traceId, false),
    // Not an envelope field: the digest of the signed batch the event came in (V5), whose message, kept once in
    // signed_batch, is what the signer's signature covers. In the canonical form, so that pointing a row at another
    // batch breaks the link. Optional: single events, AWS's, and links stored before V5 hash as they always did.
    SIGNED_BATCH("signed_batch", "signedBatch", "signedBatch", AuditEvent::signedBatch, false);

    private final String column;
    private final String hashName;
    private final String viewName;
    private final Function<AuditEvent, Object> value;
    private final boolean required;

    AuditField(EnvelopeField field, Function<AuditEvent, Object> value, boolean required) {
        this(field.columnName(), field.jsonName(), field.jsonName(), value, required);
    }

    AuditField(String column, String hashName, String viewName, Function<AuditEvent, Object> value, boolean required) {
        this.column = column;
        this.hashName = hashName;
        this.viewName = viewName;
        this.value = value;
        this.required = required;
    }

    /** The column in {@code audit_event}. */
    public String column() {
        return column;
    }

    /** The key in the hash chain's canonical JSON. */
    public String hashName() {
        return hashName;
    }

    /** The name in the API's events and the CSV export's header. */
    public String viewName() {
        return viewName;
    }

    /** A String or, for the two times, an Instant; null when absent. */
    public Object value(AuditEvent event) {
        return value.apply(event);
    }

    /** Always set, and always in the canonical form, even when null. */
    public boolean required() {
        return required;
    }
}
