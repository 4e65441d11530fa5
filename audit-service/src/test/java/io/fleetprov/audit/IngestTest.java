package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Devices;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events from the broker — claim-service's and the emulator's own — become one device's chain of custody. */
@QuarkusTest
class IngestTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @BeforeEach
    void thingEvents() {
        emulator.registry().eventConfigurations().update(Map.of("THING", true));
    }

    @Test
    void provenanceIsBuiltFromEventsInAnyOrderAndDuplicatesAreStoredOnce() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        // The AWS side happens first: the device provisions and reconnects with its own certificate.
        Devices.Provisioned device = Devices.provision(emulator, serial);
        Devices.reconnect(emulator, device);
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            // claim-service's events arrive late and in reverse order, the hook decision twice.
            FleetEvent hook = ClaimServiceEvents.hookDecision(
                    "installer-ann", serial, device.claimCertificateId(), device.certificateId(), true, null);
            claimService.publish(hook);
            claimService.publish(hook);
            FleetEvent issued = claimService.publish(
                    ClaimServiceEvents.claimIssued("installer-ann", serial, device.claimCertificateId()));
            claimService.publish(issued);

            JsonPath provenance = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> given().auth()
                                    .oauth2(Tokens.auditor())
                                    .get("/v1/devices/{thing}/provenance", device.thingName())
                                    .then()
                                    .extract()
                                    .jsonPath(),
                            p -> p.getList("missing") != null
                                    && p.getList("missing").isEmpty()
                                    && !p.getList("laterPresence").isEmpty());

            assertThat(provenance.getString("serialNumber")).isEqualTo(serial);
            assertThat(provenance.getString("installer.subject")).isEqualTo("installer-ann");
            assertThat(provenance.getString("installer.eventId")).isEqualTo(issued.eventId());
            assertThat(provenance.getString("claim.claimCertificateId")).isEqualTo(device.claimCertificateId());
            assertThat(provenance.getString("hookDecision.eventId")).isEqualTo(hook.eventId());
            assertThat(provenance.getString("hookDecision.outcome")).isEqualTo(Outcome.ALLOW.wire());
            assertThat(provenance.getString("deviceCertificate.certificateId")).isEqualTo(device.certificateId());
            assertThat(provenance.getString("thing.thingId"))
                    .isEqualTo(
                            emulator.registry().things().get(device.thingName()).thingId());
            assertThat(provenance.getString("firstConnect.certificateId")).isEqualTo(device.certificateId());
            assertThat(provenance.getString("firstConnect.type")).isEqualTo("PresenceConnected");
            assertThat(provenance.getList("laterPresence.type", String.class)).containsExactly("PresenceDisconnected");
            assertThat(provenance.getString("laterPresence[0].disconnectReason"))
                    .isEqualTo("CLIENT_INITIATED_DISCONNECT");

            assertThat(rowsWithEventId(hook.eventId())).isEqualTo(1);
            assertThat(rowsWithEventId(issued.eventId())).isEqualTo(1);
        }
    }

    @Test
    void malformedEventsAreQuarantinedAndIngestGoesOn() throws Exception {
        long before = quarantined();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            claimService.publishBytes("fleetprov/events/ClaimIssued", "{not json".getBytes(StandardCharsets.UTF_8));
            claimService.publishBytes("fleetprov/events/ClaimIssued", "{\"type\":\"ClaimIssued\"}".getBytes());
            claimService.publishRaw("HookDecision", ClaimServiceEvents.claimIssued("installer-q", "SN-Q", "c-q"));
            FleetEvent good = claimService.publish(ClaimServiceEvents.claimIssued("installer-q", "SN-Q2", "c-q2"));

            await().atMost(Duration.ofSeconds(20)).until(() -> rowsWithEventId(good.eventId()) == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> quarantined() == before + 3);
        }
        assertThat(reasons())
                .anyMatch(r -> r.startsWith("malformed JSON payload"))
                .contains("missing eventId", "type ClaimIssued does not match topic fleetprov/events/HookDecision");
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("audit_events_quarantined_total"));
        given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("type", "ClaimIssued")
                .get("/v1/events")
                .then()
                .statusCode(200)
                .body("items.installer", hasItem("installer-q"));
        String ndjson = given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("type", "ClaimIssued")
                .get("/v1/events/export")
                .then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract()
                .asString();
        assertThat(ndjson.lines())
                .isNotEmpty()
                .allMatch(l -> l.startsWith("{\"seq\":"))
                .anyMatch(l -> l.contains("\"installer\":\"installer-q\""));
        String csv = given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("type", "ClaimIssued")
                .queryParam("format", "csv")
                .get("/v1/events/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().findFirst())
                .hasValueSatisfying(h -> assertThat(h).startsWith("seq,eventId,type,"));
        assertThat(csv).contains("installer-q");
    }

    @Test
    void eventsAreChainedInTheOrderTheyArrivedThoughVerifiedInParallel() throws Exception {
        // Signatures are verified on several threads at once (IngestWriter); the chain must still follow arrival.
        String installer = "installer-order-" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            for (int i = 0; i < 300; i++) {
                published.add(claimService
                        .publish(ClaimServiceEvents.claimIssued(installer, "SN-order-" + i, "c-order-" + i))
                        .eventId());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> chainOrder(installer).size() == published.size());
        }
        assertThat(chainOrder(installer)).containsExactlyElementsOf(published);
    }

    private List<String> chainOrder(String installer) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps =
                        c.prepareStatement("select event_id from audit_event where installer = ? order by seq")) {
            ps.setString(1, installer);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        }
    }

    @Test
    void healthReportsDatabaseAndBroker() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("event-log-writer"));
    }

    private long rowsWithEventId(String eventId) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long quarantined() throws Exception {
        try (Connection c = database.superuser();
                ResultSet rs = c.createStatement().executeQuery("select count(*) from quarantined_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private java.util.List<String> reasons() throws Exception {
        try (Connection c = database.superuser();
                ResultSet rs = c.createStatement().executeQuery("select reason from quarantined_event")) {
            java.util.List<String> reasons = new java.util.ArrayList<>();
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
            return reasons;
        }
    }
}
