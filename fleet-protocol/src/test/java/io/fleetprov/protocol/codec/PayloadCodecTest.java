package io.fleetprov.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.ErrorResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadCodecTest {

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    void roundTripsEveryPayload(PayloadFormat format) {
        PayloadCodec codec = PayloadCodec.of(format);
        var register = new RegisterThingRequest("token", Map.of("SerialNumber", "SN-1"));
        var keys = new CreateKeysAndCertificateResponse("abc", "pem", "key", "token");
        var error = new ErrorResponse(400, "InvalidCertificateOwnershipToken", "bad token");
        var event = new FleetEvent(
                "e-1",
                EventType.CLAIM_ISSUED,
                Instant.parse("2026-01-02T03:04:05Z"),
                "claim-service",
                "sub-1",
                "SN-1",
                "t",
                "claim",
                null,
                null,
                Outcome.ISSUED,
                null,
                null);

        assertThat(codec.decode(codec.encode(register), RegisterThingRequest.class))
                .isEqualTo(register);
        assertThat(codec.decode(codec.encode(keys), CreateKeysAndCertificateResponse.class))
                .isEqualTo(keys);
        assertThat(codec.decode(codec.encode(error), ErrorResponse.class)).isEqualTo(error);
        assertThat(codec.decode(codec.encode(event), FleetEvent.class)).isEqualTo(event);
    }

    @Test
    void usesAwsFieldNamesAndOmitsAbsentEventFields() {
        String json = new String(
                PayloadCodec.json().encode(new ErrorResponse(403, "AccessDenied", "no")), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"statusCode\":403,\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\"}");

        String event = new String(
                PayloadCodec.json()
                        .encode(new FleetEvent(
                                "e",
                                EventType.HOOK_DECISION,
                                Instant.EPOCH,
                                "s",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                Outcome.DENY,
                                null,
                                null)),
                StandardCharsets.UTF_8);
        assertThat(event)
                .isEqualTo("{\"eventId\":\"e\",\"type\":\"HookDecision\","
                        + "\"occurredAt\":\"1970-01-01T00:00:00Z\",\"source\":\"s\",\"outcome\":\"deny\"}");
    }

    @Test
    void cborUsesTheSameKeysAsJson() throws Exception {
        byte[] cbor = PayloadCodec.cbor().encode(new RegisterThingResponse(Map.of("a", "b"), "thing-1"));
        var tree = new CBORMapper().readTree(cbor);
        assertThat(tree.get("thingName").asText()).isEqualTo("thing-1");
        assertThat(tree.get("deviceConfiguration").get("a").asText()).isEqualTo("b");
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    void ignoresUnknownFields(PayloadFormat format) throws Exception {
        // The Java device SDK sends templateName in the RegisterThing body.
        var withExtra = Map.of(
                "certificateOwnershipToken",
                "tok",
                "templateName",
                "t",
                "parameters",
                Map.of("k", "v"),
                "nested",
                Map.of("x", 1));
        byte[] payload = format == PayloadFormat.JSON
                ? new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(withExtra)
                : new CBORMapper().writeValueAsBytes(withExtra);
        var decoded = PayloadCodec.of(format).decode(payload, RegisterThingRequest.class);
        assertThat(decoded).isEqualTo(new RegisterThingRequest("tok", Map.of("k", "v")));
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    void treatsAnEmptyPayloadAsAnEmptyObject(PayloadFormat format) {
        var decoded = PayloadCodec.of(format).decode(new byte[0], RegisterThingRequest.class);
        assertThat(decoded.certificateOwnershipToken()).isNull();
        assertThat(decoded.parameters()).isEmpty();
    }

    @Test
    void rejectsMalformedJson() {
        for (String bad : new String[] {
            "{", "[1,2]", "{\"certificateOwnershipToken\":", "null", "{} trailing", "{\"parameters\":\"not a map\"}"
        }) {
            assertThatThrownBy(() -> PayloadCodec.json()
                            .decode(bad.getBytes(StandardCharsets.UTF_8), RegisterThingRequest.class))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            PayloadException.class,
                            e -> assertThat(e.reason()).isEqualTo(PayloadException.Reason.MALFORMED))
                    .hasMessageStartingWith("malformed JSON payload");
        }
    }

    @Test
    void rejectsMalformedCbor() {
        byte[] truncatedMap = {(byte) 0xA2, 0x61, 'a'};
        byte[] notAMap = {(byte) 0x83, 1, 2, 3};
        for (byte[] bad : new byte[][] {truncatedMap, notAMap, "{}".getBytes(StandardCharsets.UTF_8)}) {
            assertThatThrownBy(() -> PayloadCodec.cbor().decode(bad, RegisterThingRequest.class))
                    .isInstanceOfSatisfying(
                            PayloadException.class,
                            e -> assertThat(e.reason()).isEqualTo(PayloadException.Reason.MALFORMED));
        }
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    void rejectsOversizedPayloadsBeforeParsing(PayloadFormat format) {
        byte[] big = new byte[PayloadCodec.MAX_PAYLOAD_BYTES + 1];
        assertThatThrownBy(() -> PayloadCodec.of(format).decode(big, RegisterThingRequest.class))
                .isInstanceOfSatisfying(
                        PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(PayloadException.Reason.OVERSIZED))
                .hasMessageContaining("131073 bytes");
    }

    @Test
    void readsOutcomesInOlderSpellingsAndWritesTheWireWord() {
        var event = PayloadCodec.json()
                .decode(
                        "{\"eventId\":\"e\",\"type\":\"HookDecision\",\"outcome\":\"ALLOWED\"}"
                                .getBytes(StandardCharsets.UTF_8),
                        FleetEvent.class);
        assertThat(event.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(new String(PayloadCodec.json().encode(event), StandardCharsets.UTF_8))
                .contains("\"outcome\":\"allow\"");
        assertThat(Outcome.DENY.matches("Denied")).isTrue();
        assertThat(Outcome.read("maybe")).isEmpty();
    }

    @Test
    void refusesUnknownEventTypesAndOutcomes() {
        for (String bad :
                new String[] {"{\"type\":\"SomethingElse\"}", "{\"type\":\"HookDecision\",\"outcome\":\"maybe\"}"}) {
            assertThatThrownBy(() -> PayloadCodec.json().decode(bad.getBytes(StandardCharsets.UTF_8), FleetEvent.class))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            PayloadException.class,
                            e -> assertThat(e.reason()).isEqualTo(PayloadException.Reason.MALFORMED));
        }
    }

    @Test
    void convertsADecodedTreeLikeBytes() {
        var tree = PayloadCodec.json()
                .decode(
                        "{\"eventId\":\"e\",\"type\":\"ClaimIssued\"}".getBytes(StandardCharsets.UTF_8),
                        com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(PayloadCodec.json().convert(tree, FleetEvent.class).type()).isEqualTo(EventType.CLAIM_ISSUED);
        var badTree = PayloadCodec.json()
                .decode(
                        "{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8),
                        com.fasterxml.jackson.databind.JsonNode.class);
        assertThatThrownBy(() -> PayloadCodec.json().convert(badTree, FleetEvent.class))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("malformed JSON payload");
    }

    @Test
    void missingAllowProvisioningDenies() {
        var response = PayloadCodec.json()
                .decode(
                        "{\"parameterOverrides\":{\"a\":\"b\"}}".getBytes(StandardCharsets.UTF_8),
                        PreProvisioningHookResponse.class);
        assertThat(response.allowed()).isFalse();
        assertThat(PreProvisioningHookResponse.allow(Map.of()).allowed()).isTrue();
    }
}
