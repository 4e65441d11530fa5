package io.fleetprov.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
