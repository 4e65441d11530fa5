package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.audit.service.IntegrityReport;
import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The chain before an attack — its rows, its head link and that link's hash — so that the attack tests can show
 * that nothing accepted before it was lost or changed.
 */
record ChainSnapshot(long rows, long head, String headHash, Instant at) {

    static ChainSnapshot take(IntegrityService integrity, TestDatabase database) throws SQLException {
        IntegrityReport report = integrity.verify(null, null);
        assertThat(report.intact()).isTrue();
        try (Connection c = database.superuser();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), now() from audit_event")) {
            rs.next();
            return new ChainSnapshot(
                    rs.getLong(1),
                    report.to(),
                    report.lastVerifiedHash(),
                    rs.getTimestamp(2).toInstant().truncatedTo(ChronoUnit.MILLIS));
        }
    }

    /** The links that existed are unchanged, the whole chain verifies, and the service is still ready. */
    void assertOldLinksKept(IntegrityService integrity) {
        if (head > 0) {
            IntegrityReport prefix = integrity.verify(1L, head);
            assertThat(prefix.intact()).isTrue();
            assertThat(prefix.lastVerifiedHash()).isEqualTo(headHash);
        }
        assertThat(integrity.verify(null, null).intact()).isTrue();
        given().get("/q/health/ready").then().statusCode(200);
    }
}
