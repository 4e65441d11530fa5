package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Quotas of 0 are none, as the local system runs one installer that provisions a whole fleet: that installer gets
 * every claim it asks for, and its claims do not queue on the installer's lock, which only makes quota decisions
 * atomic.
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
