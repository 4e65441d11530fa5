package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The envelope's traceId reaches the audit row, the API's event and the export, and finds every row of one device's
 * trace; a traceId that is not a W3C trace id never costs an event its place in the log.
 */
@QuarkusTest
class TraceIdTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Test
    void theTraceIdOfTheClaimRequestIsOnTheAuditRowsOfThatDevice() throws Exception {
        String traceId = TraceIds.newTraceId();
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        String claim = "claim-" + serial;
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            FleetEvent issued = claimService.publish(
                    withTrace(ClaimServiceEvents.claimIssued("installer-trace", serial, claim), traceId));
            FleetEvent hook = claimService.publish(withTrace(
                    ClaimServiceEvents.hookDecision("installer-trace", serial, claim, "cert-" + serial, true, null),
                    traceId));
            // Another device's event, in another trace, is not part of this one.
            claimService.publish(ClaimServiceEvents.claimIssued("installer-trace", serial + "-other", "other"));

            await().atMost(Duration.ofSeconds(20)).until(() -> traceIdOfRow(hook.eventId()) != null);
            assertThat(traceIdOfRow(issued.eventId())).isEqualTo(traceId);
            assertThat(traceIdOfRow(hook.eventId())).isEqualTo(traceId);

            JsonPath trace = given().auth()
                    .oauth2(Tokens.auditor())
                    .queryParam("traceId", traceId)
                    .get("/v1/events")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(trace.getList("items.eventId", String.class)).containsExactly(issued.eventId(), hook.eventId());
            assertThat(trace.getList("items.traceId", String.class)).containsOnly(traceId);

            String csv = given().auth()
                    .oauth2(Tokens.auditor())
                    .queryParam("traceId", traceId)
                    .queryParam("format", "csv")
                    .get("/v1/events/export")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(csv.lines().findFirst())
                    .hasValueSatisfying(h -> assertThat(h).contains(",signer,traceId,"));
            assertThat(csv.lines().skip(1)).hasSize(2).allMatch(l -> l.contains(traceId));
        }
    }

    @Test
    void anEventWhoseTraceIdIsNotW3cIsKeptWithoutOne() throws Exception {
        String serial = "SN-" + UUID.randomUUID().toString().substring(0, 8);
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            // What claim-service sent before traces: its request id. The event still counts; only the column is empty.
            FleetEvent legacy = claimService.publish(withTrace(
                    ClaimServiceEvents.claimIssued("installer-trace", serial, "claim-" + serial),
                    UUID.randomUUID().toString()));

            await().atMost(Duration.ofSeconds(20)).until(() -> rowExists(legacy.eventId()));
            assertThat(traceIdOfRow(legacy.eventId())).isNull();
            given().auth()
                    .oauth2(Tokens.auditor())
                    .queryParam("type", "ClaimIssued")
                    .queryParam(
                            "since",
                            legacy.occurredAt().truncatedTo(ChronoUnit.MILLIS).toString())
                    .queryParam(
                            "until",
                            legacy.occurredAt()
                                    .truncatedTo(ChronoUnit.MILLIS)
                                    .plusMillis(1)
                                    .toString())
                    .get("/v1/events")
                    .then()
                    .statusCode(200)
                    .body(
                            "items.find { it.eventId == '" + legacy.eventId() + "' }.payload.traceId",
                            equalTo(legacy.traceId()));
        }
    }

    @Test
    void aQueryByAMalformedTraceIdIsAProblem() {
        given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("traceId", "not-a-trace")
                .get("/v1/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static FleetEvent withTrace(FleetEvent e, String traceId) {
        return new FleetEvent(
                e.eventId(),
                e.type(),
                e.occurredAt(),
                e.source(),
                e.installer(),
                e.serialNumber(),
                e.templateName(),
                e.claimCertificateId(),
                e.certificateId(),
                e.thingName(),
                e.outcome(),
                e.reason(),
                traceId);
    }

    private boolean rowExists(String eventId) throws Exception {
        return row(eventId, "count(*)").equals("1");
    }

    private String traceIdOfRow(String eventId) throws Exception {
        return row(eventId, "max(trace_id)");
    }

    private String row(String eventId, String select) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps =
                        c.prepareStatement("select " + select + " from audit_event where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
