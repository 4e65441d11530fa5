package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.audit.testing.Users;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.EventKeys;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.SignedBatch;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/signed-batches/{digest}}: a batched row's {@code signedBatch} resolves to the batch's signed message
 * exactly as claim-service published it, which an auditor verifies with claim-service's public key and in which the
 * row's envelope is found byte for byte, without database access. Auditors only; a digest that is not one is refused
 * before any query, as {@code application/problem+json}, and the probes change nothing on record.
 */
@QuarkusTest
class SignedBatchApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    IntegrityService integrity;

    @Test
    void aBatchedRowsSignedBatchResolvesToTheMessageAsPublishedWhichVerifiesAndHoldsTheRowsEnvelope() throws Exception {
        List<FleetEvent> events = events("api-batch", 3);
        byte[] published = ClaimServiceEvents.signedBatch(events);
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            claimService.publishAsIs(AwsEventTopics.fleetprov(EventType.CLAIM_ISSUED.wire()), published);
        }
        FleetEvent event = events.get(1);
        JsonNode row = await().atMost(Duration.ofSeconds(20)).until(() -> row(event), r -> r != null);
        String digest = row.path("signedBatch").asText();
        assertThat(digest).isEqualTo(SignedBatch.digest(published));

        Response response = asAuditor().get("/v1/signed-batches/" + digest);
        response.then().statusCode(200).contentType("application/jose");
        byte[] body = response.asByteArray();
        assertThat(body).isEqualTo(published);
        // The row names the batch by the SHA-256 of these bytes, inside the row's link hash.
        assertThat(SignedBatch.digest(body)).isEqualTo(digest);
        // No caching beyond what the events API allows.
        assertThat(response.header("Cache-Control"))
                .isEqualTo(asAuditor().get("/v1/events?limit=1").header("Cache-Control"));

        // What the auditor does, with claim-service's public key only.
        SignedBatch verified = new EventVerifier(
                        Map.of(Contracts.EVENT_SIGNING_KEY_ID, EventKeys.publicKey(Contracts.eventSigningKey())))
                .verifyBatch(body);
        assertThat(verified.signer()).isEqualTo(row.path("signer").asText());
        byte[] envelope = PayloadCodec.json().encode(event);
        List<byte[]> holding = verified.envelopes().stream()
                .filter(e -> Arrays.equals(e, envelope))
                .toList();
        assertThat(holding).hasSize(1);
        assertThat(JSON.readTree(holding.get(0))).isEqualTo(row.path("payload"));
        assertThat(verified.envelopes()).hasSize(events.size());
    }

    @Test
    void onlyAuditorsReadSignedBatches() {
        String unknown = SignedBatch.digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        String path = "/v1/signed-batches/" + unknown;
        given().get(path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        given().auth()
                .oauth2(Tokens.accessToken(Users.INSTALLER))
                .get(path)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        asAuditor()
                .get(path)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", equalTo("no signed batch is stored under this digest"));
    }

    @Test
    void aMalformedDigestIsRefusedWith400AndNothingOnRecordChanges() throws Exception {
        ChainSnapshot before = ChainSnapshot.take(integrity, database);
        String digest = SignedBatch.digest("any".getBytes(StandardCharsets.UTF_8));
        List<String> probes = new ArrayList<>(List.of(
                "not-a-digest",
                digest.toUpperCase(Locale.ROOT),
                digest.substring(1),
                digest + "0",
                digest.substring(2) + "%00",
                // Traversal and injection, encoded so that they stay in the one path segment.
                "..%2F..%2Fq%2Fhealth",
                "%2e%2e%2fevents",
                "%27%20or%20%271%27%3D%271",
                digest.substring(9) + "%27%3B--"));
        for (String probe : probes) {
            String body = asAuditor()
                    .urlEncodingEnabled(false)
                    .get("/v1/signed-batches/" + probe)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", equalTo("a signed batch digest is 64 lowercase hex digits (SHA-256)"))
                    .extract()
                    .asString();
            assertThat(body).as(probe).doesNotContain("Exception").doesNotContain("\tat ");
        }
        before.assertOldLinksKept(integrity);
    }

    private static io.restassured.specification.RequestSpecification asAuditor() {
        return given().auth().oauth2(Tokens.auditor());
    }

    /** The row of this event as the events API shows it, once stored. */
    private static JsonNode row(FleetEvent event) throws Exception {
        JsonNode page = JSON.readTree(asAuditor()
                .queryParam("traceId", event.traceId())
                .get("/v1/events")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
        for (JsonNode item : page.path("items")) {
            if (event.eventId().equals(item.path("eventId").asText())) {
                return item;
            }
        }
        return null;
    }

    private static List<FleetEvent> events(String prefix, int count) {
        String installer = prefix + "-" + UUID.randomUUID();
        List<FleetEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(ClaimServiceEvents.claimIssued(installer, "SN-api-" + i, "claim-" + UUID.randomUUID()));
        }
        return events;
    }
}
