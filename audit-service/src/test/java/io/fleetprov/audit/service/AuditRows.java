package io.fleetprov.audit.service;

import io.fleetprov.testing.quarkus.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of {@code audit_event} written straight into the table for the anomaly queries' tests, which read only the
 * columns these set (not the payload, nor the chain: each row's hash is merely unique).
 */
final class AuditRows {

    private AuditRows() {}

    /** When the log's devices begin; the one thing no claim accounts for is created then too. */
    static final Instant START = Instant.parse("2026-06-01T11:00:00Z");

    /**
     * A migrated database whose log holds {@code devices} {@link #provisioned} devices from {@link #START} on, then
     * one thing no claim accounts for, {@code rogue-thing}, with its statistics up to date.
     */
    static PostgresTestResource logWithRogueThing(int devices) throws SQLException {
        PostgresTestResource postgres = PostgresTestResource.migrated();
        try (Connection c = postgres.dataSource().getConnection();
                Statement s = c.createStatement()) {
            provisioned(c, devices, START);
            append(c, "ThingCreated", START, START, "thing_name", "rogue-thing");
            s.execute("analyze audit_event");
        }
        return postgres;
    }

    /**
     * {@code devices} devices as the system records them, 4 rows each from seq 1 on, received one second apart from
     * {@code start}: the claim, the hook allowing it, the thing named after the serial, the device's first connect
     * with its new certificate.
     */
    static void provisioned(Connection c, int devices, Instant start) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(series(
                    devices, start, "ClaimIssued", "'claim-' || i", "'SN-' || i", "null", "null", "null", "null", 0));
            s.execute(series(
                    devices,
                    start,
                    "HookDecision",
                    "'claim-' || i",
                    "'SN-' || i",
                    "'cert-' || i",
                    "null",
                    "null",
                    "'allow'",
                    1));
            s.execute(series(devices, start, "ThingCreated", "null", "null", "null", "'SN-' || i", "null", "null", 2));
            s.execute(series(
                    devices,
                    start,
                    "PresenceConnected",
                    "null",
                    "null",
                    "'cert-' || i",
                    "null",
                    "'SN-' || i",
                    "null",
                    3));
        }
    }

    /** Rows {@code seq} 4(i-1)+1+offset for device i, with the given columns as SQL expressions of i. */
    private static String series(
            int devices,
            Instant start,
            String type,
            String claim,
            String serial,
            String certificate,
            String thing,
            String client,
            String outcome,
            int offset) {
        String time = "timestamptz '" + start + "' + i * interval '1 s'";
        return "insert into audit_event (seq, event_id, event_type, source, topic, occurred_at, received_at, "
                + "claim_certificate_id, serial_number, certificate_id, thing_name, client_id, outcome, payload, "
                + "prev_hash, hash) select 4 * (i - 1) + 1 + " + offset + ", '" + type + "-' || i, '" + type
                + "', 'test', 't', " + time + ", " + time + ", " + claim + ", " + serial + ", "
                + certificate + ", " + thing + ", " + client + ", " + outcome + ", '{}', '\\x00', "
                + "decode(md5('" + type + "' || i), 'hex') from generate_series(1, " + devices + ") i";
    }

    /** One event of {@code type} after the last row, with {@code columns} (name, value) set. */
    static void append(Connection c, String type, Instant occurredAt, Instant receivedAt, String... columns)
            throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            values.put(columns[i], columns[i + 1]);
        }
        List<String> names = new ArrayList<>(values.keySet());
        String sql = "insert into audit_event (seq, event_id, event_type, source, topic, occurred_at, received_at, "
                + "payload, prev_hash, hash" + names.stream().map(n -> ", " + n).reduce("", String::concat) + ")"
                + " select s, 'e-' || s, ?, 'test', 't', ?, ?, '{}', '\\x00', decode(md5('e-' || s), 'hex')"
                + ", ?".repeat(names.size())
                + " from (select coalesce(max(seq), 0) + 1 as s from audit_event) n";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, type);
            ps.setTimestamp(2, Timestamp.from(occurredAt));
            ps.setTimestamp(3, Timestamp.from(receivedAt));
            for (int i = 0; i < names.size(); i++) {
                ps.setString(4 + i, values.get(names.get(i)));
            }
            ps.executeUpdate();
        }
    }
}
