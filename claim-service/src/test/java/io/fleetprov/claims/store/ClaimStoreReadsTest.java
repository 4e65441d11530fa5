package io.fleetprov.claims.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.testing.OneTransaction;
import io.fleetprov.testing.quarkus.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the claims table is read for on each claim request and each hook, with 25,000 claims on record (most of them
 * long used): the admission runs under the installer's lock, so what it reads bounds how fast one installer's claims
 * can go; it must read the installer's open claims and the last minute's, never the whole table, and still count them
 * right, and with no quota (0) none of them. The hook must read its own claim, not every open one.
 */
class ClaimStoreReadsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static PostgresTestResource postgres;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = PostgresTestResource.migrated();
        dataSource = postgres.dataSource();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            // A year of one busy installer's used claims, other installers' too, then 3 open claims of the
            // installer (2 issued and unexpired, 1 pending) and one issued that has expired but is not swept yet.
            s.execute("insert into claims (id, certificate_id, installer, serial_number, template_name, status, "
                    + "requested_at, expires_at, used_at) select gen_random_uuid(), md5(i::text), "
                    + "case when i % 5 = 0 then 'other-' || (i % 50) else 'busy' end, 'used-' || i, 'T', 'USED', "
                    + "timestamptz '2026-06-01T11:00:00Z' - i * interval '20 min', "
                    + "timestamptz '2026-06-01T11:05:00Z' - i * interval '20 min', "
                    + "timestamptz '2026-06-01T11:01:00Z' - i * interval '20 min' from generate_series(1, 25000) i");
            s.execute("insert into claims (id, certificate_id, installer, serial_number, template_name, status, "
                    + "requested_at, expires_at) values "
                    + "(gen_random_uuid(), 'open-1', 'busy', 'open-1', 'T', 'ISSUED', "
                    + "timestamptz '2026-06-01T11:59:30Z', timestamptz '2026-06-01T12:04:30Z'), "
                    + "(gen_random_uuid(), 'open-2', 'busy', 'open-2', 'T', 'ISSUED', "
                    + "timestamptz '2026-06-01T11:59:40Z', timestamptz '2026-06-01T12:04:40Z'), "
                    + "(gen_random_uuid(), 'gone-1', 'busy', 'gone-1', 'T', 'ISSUED', "
                    + "timestamptz '2026-06-01T11:50:00Z', timestamptz '2026-06-01T11:55:00Z')");
            s.execute("insert into claims (id, installer, serial_number, template_name, status, requested_at) values "
                    + "(gen_random_uuid(), 'busy', 'open-3', 'T', 'PENDING', timestamptz '2026-06-01T11:59:50Z')");
            s.execute("analyze claims");
        }
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    @Test
    void theAdmissionReadsOpenAndRecentClaimsNotTheWholeTable() throws Exception {
        assertThat(plan(10, 20)).doesNotContain("Seq Scan").contains("claims_open");
    }

    @Test
    void withoutQuotasTheAdmissionReadsNoneOfTheInstallersClaims() throws Exception {
        assertThat(plan(0, 0))
                .doesNotContain("Seq Scan")
                .doesNotContain("claims_open")
                .doesNotContain("claims_installer_requested");
        ClaimStore.Admission admission = admit(new ClaimStore(dataSource), 0, 0);
        assertThat(admission.rateFullUntil()).isNull();
        assertThat(admission.outstandingFullUntil()).isNull();
        assertThat(new ClaimStore(dataSource)
                        .admission("used-7", "busy", NOW.minus(Duration.ofMinutes(1)), 0, NOW, 0)
                        .provisioned())
                .isTrue();
    }

    @Test
    void theIndexedAdmissionCountsExactlyTheOpenClaims() {
        ClaimStore store = new ClaimStore(dataSource);
        // open-1, open-2 and open-3 are open; gone-1 expired: 3 fill an outstanding quota of 3, not one of 4.
        assertThat(admit(store, 10, 3).outstandingFullUntil()).isNotNull();
        assertThat(admit(store, 10, 4).outstandingFullUntil()).isNull();
        // The last minute holds the three open claims' requests: a quota of 3 a minute is full, 4 is not.
        assertThat(admit(store, 3, 10).rateFullUntil()).isEqualTo(Instant.parse("2026-06-01T11:59:30Z"));
        assertThat(admit(store, 4, 10).rateFullUntil()).isNull();
    }

    @Test
    void theHookUsesItsOwnClaimWithoutReadingTheOtherOpenOnes() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // 2,000 more issued, unused claims than the statistics know of, as while a fleet provisions.
                s.execute("insert into claims (id, certificate_id, installer, serial_number, template_name, status, "
                        + "requested_at, expires_at) select gen_random_uuid(), 'issued-' || i, 'fleet', "
                        + "'issued-' || i, 'T', 'ISSUED', timestamptz '2026-06-01T11:59:00Z', "
                        + "timestamptz '2026-06-01T12:04:00Z' from generate_series(1, 2000) i");
            }
            // The store's statements on this connection, in this transaction, as the service's transaction has them.
            ClaimStore store = new ClaimStore(OneTransaction.dataSource(c, DataSource.class));
            long before = OneTransaction.rowsRead(c, "claims");
            boolean used = store.use(
                    store.lockByCertificateId("issued-7").orElseThrow(),
                    "issued-7",
                    "T",
                    "device-cert",
                    "issued-7",
                    NOW.plusSeconds(1));
            long read = OneTransaction.rowsRead(c, "claims") - before;

            assertThat(used).isTrue();
            assertThat(store.deny(store.lockByCertificateId("issued-7").orElseThrow(), "test", "device-cert"))
                    .isFalse();
            assertThat(read).isLessThan(10);
            c.rollback();
        }
    }

    private static ClaimStore.Admission admit(ClaimStore store, int perMinute, int outstanding) {
        return store.admission("new-serial", "busy", NOW.minus(Duration.ofMinutes(1)), perMinute, NOW, outstanding);
    }

    private static String plan(int perMinute, int outstanding) throws Exception {
        ClaimStore.AdmissionQuery query = ClaimStore.AdmissionQuery.of(
                "new-serial", "busy", NOW.minus(Duration.ofMinutes(1)), perMinute, NOW, outstanding);
        StringBuilder plan = new StringBuilder();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = ClaimStore.prepare(c, "explain " + query.sql(), query.args());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
