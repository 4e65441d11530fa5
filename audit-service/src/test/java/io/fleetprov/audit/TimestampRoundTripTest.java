package io.fleetprov.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.testing.TestDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every instant the ingest accepts (4713 BC to 294276 AD, EventLimits) comes back from the database unchanged,
 * bound as EventStore binds it: otherwise its link would no longer match its hash.
 */
class TimestampRoundTripTest {

    private static TestDatabase database;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start(
                Files.createTempDirectory("audit-ts"),
                0,
                io.fleetprov.audit.testing.AuditTestResources.DATABASE,
                io.fleetprov.audit.testing.AuditTestResources.APP_ROLE);
        try (Connection c = database.superuser();
                Statement s = c.createStatement()) {
            s.execute("create table if not exists ts (t timestamptz not null)");
        }
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-4712-01-01T00:00:00Z",
                "-1000-03-01T12:00:00Z",
                "0000-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "1000-06-15T12:00:00Z",
                "1582-10-10T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "2026-12-02T20:00:00.123Z",
                "+10000-01-01T00:00:00Z",
                "+287199-03-09T09:20:00Z",
                "+294276-12-31T23:59:59.999Z"
            })
    void storedAndReadBackUnchanged(String value) throws Exception {
        Instant instant = Instant.parse(value);
        try (Connection c = database.superuser()) {
            try (PreparedStatement ps = c.prepareStatement("insert into ts values (?)")) {
                ps.setObject(1, instant.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select t from ts where t = ?")) {
                ps.setObject(1, instant.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Instant> back = new java.util.ArrayList<>();
                    while (rs.next()) {
                        back.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                    }
                    assertThat(back).containsOnly(instant).isNotEmpty();
                }
            }
        }
    }
}
