package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Quotas of 0 are none, as the local system runs one installer that provisions a whole fleet: that installer gets
 * every claim it asks for, its claims do not queue on the installer's lock, which only makes quota decisions atomic,
 * and a claim asked for without an Idempotency-Key has no row until AWS issued it.
 */
@QuarkusTest
@TestProfile(NoQuotaTest.NoQuota.class)
class NoQuotaTest {

    public static class NoQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleetprov.quota.claims-per-minute", "0", "fleetprov.quota.outstanding", "0");
        }
    }

    @Inject
    DataSource dataSource;

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void anInstallerWithoutQuotaIsNeitherRefusedNorSerialised() throws Exception {
        String user = ClaimServiceEmulator.installer();
        // Past both of the tests' usual quotas (5 a minute, 8 outstanding), all of them unused.
        String first = Claims.serial();
        Claims.issue(user, first);
        for (int i = 0; i < 11; i++) {
            Claims.issue(user, Claims.serial());
        }

        // A quota decision of this installer's that never ends: a claim that took the lock would wait behind it.
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock =
                    holder.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, installerOf(first));
                lock.executeQuery().close();
            }
            CompletableFuture<Map<String, Object>> claim =
                    CompletableFuture.supplyAsync(() -> Claims.issue(user, Claims.serial()));
            assertThat(claim.get(30, TimeUnit.SECONDS)).containsKey("certificateId");
            holder.rollback();
        }
    }

    @Test
    void aClaimWithoutKeyIsWrittenOnceIssuedAndStillProvisionsOneDevice() throws Exception {
        String user = ClaimServiceEmulator.installer();
        String serial = Claims.serial();
        String traceId = TraceIds.newTraceId();
        List<String> changes;
        try (UpdateRecorder updates = new UpdateRecorder()) {
            String claim = given().auth()
                    .oauth2(Tokens.of(user))
                    .header(TraceIds.TRACEPARENT, TraceIds.traceparent(traceId, TraceIds.newSpanId()))
                    .contentType("application/json")
                    .body(Map.of("serialNumber", serial))
                    .post("/v1/claims")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("certificateId");
            changes = updates.of(serial);

            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("select status, certificate_id, trace_id, requested_at, "
                            + "issued_at, expires_at from claims where serial_number = ?")) {
                ps.setString(1, serial);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ISSUED");
                    assertThat(rs.getString(2)).isEqualTo(claim);
                    // The hook reads it: its decision joins the claim's trace.
                    assertThat(rs.getString(3)).isEqualTo(traceId);
                    OffsetDateTime requested = rs.getObject(4, OffsetDateTime.class);
                    assertThat(rs.getObject(5, OffsetDateTime.class)).isAfterOrEqualTo(requested);
                    assertThat(rs.getObject(6, OffsetDateTime.class)).isAfter(requested.plusMinutes(4));
                    assertThat(rs.next()).isFalse();
                }
            }
            Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(true));
            Claims.hook(Claims.hookSecret(), claim, serial).statusCode(200).body("allowProvisioning", equalTo(false));
            Claims.get(user, claim).statusCode(200).body("status", equalTo("USED"));
            // The admission without a row still refuses a second device under a provisioned serial.
            Claims.request(user, serial)
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://fleetprov.io/problems/already-provisioned"));
            assertThat(updates.of(serial))
                    .as("the row's changes once the hook allowed it")
                    .containsExactly("ISSUED>USED");
        }
        assertThat(changes).as("the row's changes until the claim was answered").isEmpty();
    }

    @Test
    void aClaimAwsDidNotIssueLeavesNoRowBehind() throws Exception {
        String user = ClaimServiceEmulator.installer();
        String operation = "CreateProvisioningClaim";
        try {
            // One claim a thousand seconds: the first takes it, the next is throttled until the call's deadline.
            emulator.throttle().setRate(operation, 0.001);
            Claims.issue(user, Claims.serial());
            String refused = Claims.serial();
            Claims.request(user, refused)
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://fleetprov.io/problems/aws-unavailable"));
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("select count(*) from claims where serial_number = ?")) {
                ps.setString(1, refused);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
        } finally {
            emulator.throttle().setRate(operation, 0);
        }
    }

    /**
     * Records every update of the claims table (old status, new status) for as long as it is open: whether a row was
     * written once is not visible in the row itself.
     */
    private final class UpdateRecorder implements AutoCloseable {

        UpdateRecorder() throws Exception {
            execute(
                    "create table test_claim_updates (serial_number text, change text)",
                    "create function test_record_claim_update() returns trigger language plpgsql as $$ begin "
                            + "insert into test_claim_updates values (new.serial_number, old.status || '>' || "
                            + "new.status); return new; end $$",
                    "create trigger test_claim_updates after update on claims for each row "
                            + "execute function test_record_claim_update()");
        }

        List<String> of(String serialNumber) throws Exception {
            List<String> changes = new ArrayList<>();
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("select change from test_claim_updates where serial_number = ?")) {
                ps.setString(1, serialNumber);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(rs.getString(1));
                    }
                }
            }
            return changes;
        }

        @Override
        public void close() throws Exception {
            execute(
                    "drop trigger test_claim_updates on claims",
                    "drop function test_record_claim_update()",
                    "drop table test_claim_updates");
        }

        private void execute(String... statements) throws Exception {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }
    }

    private String installerOf(String serialNumber) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select installer from claims where serial_number = ?")) {
            ps.setString(1, serialNumber);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
