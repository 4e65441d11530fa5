package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.testing.quarkus.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The anomaly queries run over the whole log, every 30 s for the gauges: each must stay linear in its size. With
 * 1,000 provisioned devices and one thing created outside provisioning, THING_WITHOUT_CLAIM finds exactly that thing
 * without comparing things and hooks pairwise (its earlier form discarded 500,500 pairs in a join filter
 * here, and at 9,000 devices ran for over a minute).
 */
class AnomalyQueryPlanTest {

    private static final int DEVICES = 1000;
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static PostgresTestResource postgres;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = PostgresTestResource.migrated();
        dataSource = postgres.dataSource();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            // Per device, as the system records it: the claim, the hook allowing it, the thing named after the
            // serial, the device's first connect with its new certificate. Then one thing no claim accounts for.
            s.execute(insert("ClaimIssued", "'claim-' || i", "'SN-' || i", "null", "null", "null", "null", 0));
            s.execute(insert(
                    "HookDecision", "'claim-' || i", "'SN-' || i", "'cert-' || i", "null", "null", "'allow'", 1));
            s.execute(insert("ThingCreated", "null", "null", "null", "'SN-' || i", "null", "null", 2));
            s.execute(insert("PresenceConnected", "null", "null", "'cert-' || i", "null", "'SN-' || i", "null", 3));
            s.execute("insert into audit_event (seq, event_id, event_type, source, topic, occurred_at, received_at, "
                    + "thing_name, payload, prev_hash, hash) values (" + (4 * DEVICES + 1) + ", 'rogue', "
                    + "'ThingCreated', 'test', 't', timestamptz '2026-06-01T11:00:00Z', "
                    + "timestamptz '2026-06-01T11:00:00Z', 'rogue-thing', '{}', '\\x00', '\\x01')");
            s.execute("analyze audit_event");
        }
    }

    /** Rows {@code seq} 4(i-1)+1+offset for device i, with the given columns as SQL expressions of i. */
    private static String insert(
            String type,
            String claim,
            String serial,
            String certificate,
            String thing,
            String client,
            String outcome,
            int offset) {
        return "insert into audit_event (seq, event_id, event_type, source, topic, occurred_at, received_at, "
                + "claim_certificate_id, serial_number, certificate_id, thing_name, client_id, outcome, payload, "
                + "prev_hash, hash) select 4 * (i - 1) + 1 + " + offset + ", '" + type + "-' || i, '" + type
                + "', 'test', 't', timestamptz '2026-06-01T11:00:00Z' + i * interval '1 s', "
                + "timestamptz '2026-06-01T11:00:00Z' + i * interval '1 s', " + claim + ", " + serial + ", "
                + certificate + ", " + thing + ", " + client + ", " + outcome + ", '{}', '\\x00', "
                + "decode(md5('" + type + "' || i), 'hex') from generate_series(1, " + DEVICES + ") i";
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    @Test
    void thingWithoutClaimFindsTheRogueThingWithoutComparingEveryThingWithEveryHook() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            List<String> subjects = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(AnomalyService.THING_WITHOUT_CLAIM_SQL)) {
                ps.setTimestamp(1, Timestamp.from(NOW));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        subjects.add(rs.getString(1));
                    }
                }
            }
            assertThat(subjects).containsExactly("thing:rogue-thing");

            try (PreparedStatement ps =
                    c.prepareStatement("explain (analyze, format json) " + AnomalyService.THING_WITHOUT_CLAIM_SQL)) {
                ps.setTimestamp(1, Timestamp.from(NOW));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    JsonNode plan = new ObjectMapper().readTree(rs.getString(1));
                    // Linear: a row is discarded a few times at most (the rogue thing against each device's connect,
                    // here); the pairwise form discarded DEVICES x (DEVICES + 1) / 2.
                    assertThat(rowsDiscardedByJoinFilters(plan)).isLessThan(10L * DEVICES);
                }
            }
        }
    }

    private static long rowsDiscardedByJoinFilters(JsonNode node) {
        long n = node.path("Rows Removed by Join Filter").asLong(0)
                * Math.max(1, node.path("Actual Loops").asLong(1));
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                n += rowsDiscardedByJoinFilters(child);
            }
        }
        return n;
    }
}
