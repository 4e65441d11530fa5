package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The log is append-only in the database, and a change made behind the trigger's back is found. */
@QuarkusTest
class EventLogTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Test
    void updateDeleteAndTruncateAreRefusedByTheDatabase() throws Exception {
        long seq = ingestOne("installer-ro");
        try (Connection app = database.app();
                Statement s = app.createStatement()) {
            assertThatThrownBy(() -> s.execute("update audit_event set installer = 'x' where seq = " + seq))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("delete from audit_event where seq = " + seq))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
        try (Connection owner = database.superuser();
                Statement s = owner.createStatement()) {
            assertThatThrownBy(() -> s.execute("update audit_event set installer = 'x' where seq = " + seq))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: UPDATE refused");
            assertThatThrownBy(() -> s.execute("delete from audit_event where seq = " + seq))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: DELETE refused");
            assertThatThrownBy(() -> s.execute("truncate audit_event"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only: TRUNCATE refused");
        }
    }

    @Test
    void integrityNamesTheFirstTamperedLink() throws Exception {
        long seq = ingestOne("installer-honest");
        ingestOne("installer-after");
        given().auth()
                .oauth2(Tokens.auditor())
                .get("/v1/integrity")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true))
                .body("firstBrokenLink", nullValue());
        try {
            tamper(seq, "installer-mallory");
            given().auth()
                    .oauth2(Tokens.auditor())
                    .get("/v1/integrity")
                    .then()
                    .statusCode(200)
                    .body("intact", equalTo(false))
                    .body("firstBrokenLink.seq", equalTo((int) seq))
                    .body("firstBrokenLink.problem", equalTo("content does not match its hash"));
            // a range that ends before the tampered link is intact; one that starts after it too
            given().auth()
                    .oauth2(Tokens.auditor())
                    .queryParam("from", 1)
                    .queryParam("to", seq - 1)
                    .get("/v1/integrity")
                    .then()
                    .statusCode(200)
                    .body("intact", equalTo(true));
            given().auth()
                    .oauth2(Tokens.auditor())
                    .queryParam("from", seq)
                    .queryParam("to", seq)
                    .get("/v1/integrity")
                    .then()
                    .statusCode(200)
                    .body("intact", equalTo(false));
        } finally {
            tamper(seq, "installer-honest");
        }
        given().auth()
                .oauth2(Tokens.auditor())
                .get("/v1/integrity")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));
        given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("from", 5)
                .queryParam("to", 2)
                .get("/v1/integrity")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** As the superuser, with triggers off for this session only: what an intruder with full access could do. */
    private void tamper(long seq, String installer) throws SQLException {
        try (Connection c = database.superuser();
                Statement s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
            try (PreparedStatement ps = c.prepareStatement("update audit_event set installer = ? where seq = ?")) {
                ps.setString(1, installer);
                ps.setLong(2, seq);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private long ingestOne(String installer) throws Exception {
        FleetEvent event;
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            event = claimService.publish(ClaimServiceEvents.claimIssued(
                    installer, "SN-" + installer, "claim-" + installer + "-" + System.nanoTime()));
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> seqOf(event.eventId()), s -> s > 0);
    }

    private long seqOf(String eventId) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select seq from audit_event where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
