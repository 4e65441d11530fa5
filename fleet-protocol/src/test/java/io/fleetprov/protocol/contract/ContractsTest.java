package io.fleetprov.protocol.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.claim.ClaimRequest;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.EnvelopeField;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The records read and write exactly the golden files: no field lost, renamed or added. */
class ContractsTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeRoundTrips(EventType type) {
        FleetEvent event = roundTrips(Contracts.event(type), FleetEvent.class);
        assertThat(event.type()).isEqualTo(type);
    }

    @Test
    void claimResponseRoundTrips() {
        ClaimResponse response = roundTrips(Contracts.claimResponse(), ClaimResponse.class);
        assertThat(response.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(response.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void claimRequestRoundTripsAndOmitsADefaultTemplate() {
        roundTrips(Contracts.claimRequest(), ClaimRequest.class);
        assertThat(new String(PayloadCodec.json().encode(new ClaimRequest("SN-1", null)), StandardCharsets.UTF_8))
                .isEqualTo("{\"serialNumber\":\"SN-1\"}");
    }

    @Test
    void hookRequestAndResponseRoundTrip() {
        roundTrips(Contracts.hookRequest(), PreProvisioningHookRequest.class);
        assertThat(roundTrips(Contracts.hookResponse(), PreProvisioningHookResponse.class)
                        .allowed())
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void envelopeFieldsGiveTheWireText(EventType type) {
        JsonNode golden = Contracts.tree(Contracts.event(type));
        FleetEvent event = PayloadCodec.json().decode(Contracts.event(type), FleetEvent.class);
        for (EnvelopeField field : EnvelopeField.values()) {
            JsonNode value = golden.get(field.jsonName());
            assertThat(field.text(event)).as(field.jsonName()).isEqualTo(value == null ? null : value.textValue());
        }
    }

    @Test
    void envelopeFieldsDescribeEveryComponentInOrder() {
        assertThat(Arrays.stream(EnvelopeField.values()).map(EnvelopeField::jsonName))
                .containsExactlyElementsOf(Arrays.stream(FleetEvent.class.getRecordComponents())
                        .map(c -> c.getName())
                        .toList());
        assertThat(EnvelopeField.CLAIM_CERTIFICATE_ID.columnName()).isEqualTo("claim_certificate_id");
    }

    private static <T> T roundTrips(byte[] golden, Class<T> type) {
        T value = null;
        for (PayloadFormat format : PayloadFormat.values()) {
            PayloadCodec codec = PayloadCodec.of(format);
            value = PayloadCodec.json().decode(golden, type);
            T again = codec.decode(codec.encode(value), type);
            assertThat(again).as(format.name()).isEqualTo(value);
        }
        assertThat(Contracts.tree(PayloadCodec.json().encode(value)))
                .as("re-encoded JSON")
                .isEqualTo(Contracts.tree(golden));
        return value;
    }
}
