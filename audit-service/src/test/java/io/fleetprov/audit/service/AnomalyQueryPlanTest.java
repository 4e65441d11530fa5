package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The anomaly queries run over the whole log, every 30 s for the gauges: each must stay linear in its size. With
 * 1,000 provisioned devices and one thing created outside provisioning, THING_WITHOUT_CLAIM finds exactly that thing
 * without comparing things and hooks pairwise (its earlier form discarded 500,500 pairs in a join filter
 * here, and at 9,000 devices ran for over a minute).
 */
class AnomalyQueryPlanTest extends RogueThingLogTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void thingWithoutClaimFindsTheRogueThingWithoutComparingEveryThingWithEveryHook() throws Exception {
        assertFindsOnlyTheRogueThingInLinearTime(AnomalyService.THING_WITHOUT_CLAIM_SQL, List.of());
    }

    /**
     * The gauges' refresh runs the query narrowed to the things that arrived since the last one. PostgreSQL keeps no
     * statistics on {@code lower(outcome)} by itself and guessed that a hundredth of the hook decisions were allowed;
     * sure those were few, it read them once and compared each narrowed thing with every one of them (8.8 s for 6,000
     * things under load; 502,500 pairs here). The log's extended statistics (V6) give it the true share.
     */
    @Test
    void thingWithoutClaimNarrowedToEveryThingStaysLinear() throws Exception {
        List<String> things;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select thing_name from audit_event where event_type = 'ThingCreated'");
                ResultSet rs = ps.executeQuery()) {
            things = new ArrayList<>();
            while (rs.next()) {
                things.add(rs.getString(1));
            }
        }
        assertFindsOnlyTheRogueThingInLinearTime(
                AnomalyService.THING_WITHOUT_CLAIM_SQL + AnomalyService.keyIn("t.thing_name"), things);
    }

    private static void assertFindsOnlyTheRogueThingInLinearTime(String sql, List<String> things) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            List<String> subjects = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, sql, things)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        subjects.add(rs.getString(1));
                    }
                }
            }
            assertThat(subjects).containsExactly("thing:rogue-thing");

            try (PreparedStatement ps = prepare(c, "explain (analyze, format json) " + sql, things)) {
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

    /** The query at {@code NOW}; {@code things} binds its narrowing array, none for the query as the hourly run has it. */
    private static PreparedStatement prepare(Connection c, String sql, List<String> things) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setTimestamp(1, Timestamp.from(NOW));
        if (!things.isEmpty()) {
            ps.setArray(2, c.createArrayOf("text", things.toArray()));
        }
        return ps;
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
