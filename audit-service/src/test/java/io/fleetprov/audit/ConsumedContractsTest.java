package io.fleetprov.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.audit.service.EventParser;
import io.fleetprov.audit.service.MalformedEventException;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.AuditField;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.EnvelopeField;
import io.fleetprov.protocol.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** audit-service reads every event in fleet-protocol's golden files, field for field. */
@QuarkusTest
class ConsumedContractsTest {

    @Inject
    EventParser parser;

    @ParameterizedTest
    @EnumSource(EventType.class)
    void readsEveryEventTypeAsWritten(EventType type) {
        byte[] golden = Contracts.event(type);
        JsonNode tree = Contracts.tree(golden);
        Instant received = Instant.parse("2026-03-04T06:00:00Z");

        AuditEvent event =
                parser.parse(AwsEventTopics.fleetprov(type.wire()), ClaimServiceEvents.signed(golden), received);

        assertThat(event.eventType()).isEqualTo(type.wire());
        assertThat(event.signer()).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertThat(event.receivedAt()).isEqualTo(received);
        assertThat(event.payload()).isEqualTo(tree);
        for (AuditField field : AuditField.values()) {
            if (field == AuditField.EVENT_TYPE || field == AuditField.RECEIVED_AT || field == AuditField.SIGNER) {
                continue;
            }
            JsonNode expected = tree.get(field.hashName());
            Object actual = field.value(event);
            if (field == AuditField.TOPIC) {
                assertThat(actual).isEqualTo(AwsEventTopics.fleetprov(type.wire()));
            } else {
                assertThat(actual == null ? null : actual.toString())
                        .as(field.viewName())
                        .isEqualTo(expected == null ? null : expected.textValue());
            }
        }
    }

    @Test
    void readsTheGoldenSignedEventAsTheEnvelopeItCarries() {
        AuditEvent event = parser.parse(
                AwsEventTopics.fleetprov(EventType.CLAIM_ISSUED.wire()), Contracts.signedEvent(), Instant.now());

        assertThat(event.signer()).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertThat(event.payload()).isEqualTo(Contracts.tree(Contracts.event(EventType.CLAIM_ISSUED)));
    }

    @Test
    void refusesTheGoldenEnvelopeUnsigned() {
        assertThatThrownBy(() -> parser.parse(
                        AwsEventTopics.fleetprov(EventType.CLAIM_ISSUED.wire()),
                        Contracts.event(EventType.CLAIM_ISSUED),
                        Instant.now()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith(EventParser.BAD_SIGNATURE);
    }

    @Test
    void refusesAnEventTypeFleetProtocolDoesNotDefine() {
        String unknown = "{\"eventId\":\"e-1\",\"type\":\"SomethingElse\",\"occurredAt\":\"2026-03-04T05:06:07Z\"}";
        assertThatThrownBy(() -> parser.parse(
                        AwsEventTopics.fleetprov("SomethingElse"),
                        ClaimServiceEvents.signed(unknown.getBytes(StandardCharsets.UTF_8)),
                        Instant.now()))
                .isInstanceOf(MalformedEventException.class)
                .message()
                .doesNotStartWith(EventParser.BAD_SIGNATURE);
    }

    @Test
    void readsOutcomesInTheirOlderSpelling() {
        String older = new String(Contracts.event(EventType.HOOK_DECISION), StandardCharsets.UTF_8)
                .replace("\"allow\"", "\"ALLOWED\"");
        AuditEvent event = parser.parse(
                AwsEventTopics.fleetprov(EventType.HOOK_DECISION.wire()),
                ClaimServiceEvents.signed(older.getBytes(StandardCharsets.UTF_8)),
                Instant.now());
        assertThat(event.outcome()).isEqualTo("allow");
        assertThat(EnvelopeField.OUTCOME.jsonName()).isEqualTo("outcome");
    }
}
