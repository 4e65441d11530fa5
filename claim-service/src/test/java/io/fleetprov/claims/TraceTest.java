package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One device's provisioning is one trace: the trace id of the installer's claim request (its W3C traceparent) is on
 * the ClaimIssued event and on the HookDecision event, although AWS calls the hook without any trace context.
 */
@QuarkusTest
class TraceTest {

    @InjectIotEmulator
    IotEmulator emulator;

    private final String installer = ClaimServiceEmulator.installer();

    @Test
    void theClaimRequestsTraceIdIsOnEveryEventOfTheClaim() throws Exception {
        String traceId = TraceIds.newTraceId();
        String serial = Claims.serial();
        try (EventListener events = EventListener.subscribe(emulator)) {
            String claim = claim(serial, TraceIds.traceparent(traceId, TraceIds.newSpanId()));
            Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(true));

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(claim))
                            .extracting(r -> r.event().get("type").asText())
                            .contains(EventType.CLAIM_ISSUED.wire(), EventType.HOOK_DECISION.wire()));
            assertThat(events.about(claim))
                    .allSatisfy(
                            r -> assertThat(r.event().get("traceId").asText()).isEqualTo(traceId));
            assertThat(events.about(claim)).allSatisfy(ProducedContracts::assertSignedAsContract);
        }
    }

    @Test
    void aClaimWithoutOrWithAMalformedTraceparentStartsATraceOfItsOwn() throws Exception {
        String plainSerial = Claims.serial();
        String badSerial = Claims.serial();
        try (EventListener events = EventListener.subscribe(emulator)) {
            String plain = claim(plainSerial, null);
            String bad = claim(badSerial, "00-not-a-trace-01");
            Claims.hook(Claims.hookSecret(), plain, plainSerial).statusCode(200);

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(plain)).hasSize(2));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(bad)).isNotEmpty());
            List<String> plainTraces = events.about(plain).stream()
                    .map(r -> r.event().get("traceId").asText())
                    .distinct()
                    .toList();
            assertThat(plainTraces).hasSize(1).allMatch(TraceIds::isTraceId);
            String badTrace = events.about(bad).get(0).event().get("traceId").asText();
            assertThat(badTrace).matches(TraceIds::isTraceId).isNotEqualTo(plainTraces.get(0));
        }
    }

    private String claim(String serial, String traceparent) {
        var spec = given().auth().oauth2(Tokens.of(installer)).contentType(ContentType.JSON);
        if (traceparent != null) {
            spec.header(TraceIds.TRACEPARENT, traceparent);
        }
        return spec.body(Map.of("serialNumber", serial))
                .post("/v1/claims")
                .then()
                .statusCode(201)
                .extract()
                .path("certificateId");
    }
}
