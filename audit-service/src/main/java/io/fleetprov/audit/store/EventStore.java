package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The append-only, hash-chained event log in PostgreSQL. {@link #append} is the only writer: it takes a
 * transaction-scoped advisory lock, so the chain has one order even with several service instances.
 */
@ApplicationScoped
public class EventStore {

    /** The advisory lock key that serializes appends to the chain. */
    private static final long CHAIN_LOCK = 0x6175646974L;

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String COLUMNS = "seq, "
            + Arrays.stream(AuditField.values()).map(AuditField::column).collect(Collectors.joining(", "))
            + ", payload::text as payload, prev_hash, hash";

    private static final String INSERT = "insert into audit_event (seq, "
            + Arrays.stream(AuditField.values()).map(AuditField::column).collect(Collectors.joining(", "))
            + ", payload, prev_hash, hash) values (?, " + "?, ".repeat(AuditField.values().length)
            + "?::jsonb, ?, ?)";

    private final AgroalDataSource dataSource;

    public EventStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends the events not yet on record (by event id; the first of duplicates within the batch wins) and the
     * quarantined messages, in one transaction. Throws on any database failure, leaving nothing written.
     */
    public AppendResult append(List<AuditEvent> events, List<QuarantinedMessage> quarantine) throws SQLException {
        return append(events, quarantine, List.of());
    }

    /**
     * {@link #append(List, List)}, with the signed batches the events came in: each stored once (a replayed batch is
     * the same digest), in the same transaction as the rows that name it.
     */
    public AppendResult append(
            List<AuditEvent> events, List<QuarantinedMessage> quarantine, List<SignedBatchRecord> batches)
            throws SQLException {
        return appendPrepared(events.stream().map(HashChain::prepare).toList(), quarantine, batches);
    }

    /**
     * {@link #append(List, List, List)} of events {@link HashChain#prepare prepared} already, as the ingest writer's
     * are: in the transaction, only the sequence numbers and the hashes are left to compute.
     */
    public AppendResult appendPrepared(
            List<PreparedEvent> events, List<QuarantinedMessage> quarantine, List<SignedBatchRecord> batches)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!batches.isEmpty()) {
                    storeBatches(c, batches);
                }
                AppendResult result = append(c, events, quarantine);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private AppendResult append(Connection c, List<PreparedEvent> events, List<QuarantinedMessage> quarantine)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, CHAIN_LOCK);
            lock.execute();
        }
        Map<String, PreparedEvent> fresh = new LinkedHashMap<>();
        for (PreparedEvent e : events) {
            fresh.putIfAbsent(e.event().eventId(), e);
        }
        if (!fresh.isEmpty()) {
            for (String known : existingIds(c, fresh.keySet())) {
                fresh.remove(known);
            }
        }
        List<ChainedEvent> appended = new ArrayList<>(fresh.size());
        if (!fresh.isEmpty()) {
            long seq = 0;
            byte[] prev = HashChain.GENESIS;
            try (PreparedStatement head =
                            c.prepareStatement("select seq, hash from audit_event order by seq desc limit 1");
                    ResultSet rs = head.executeQuery()) {
                if (rs.next()) {
                    seq = rs.getLong(1);
                    prev = rs.getBytes(2);
                }
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (PreparedEvent prepared : fresh.values()) {
                    AuditEvent e = prepared.event();
                    seq++;
                    byte[] hash = HashChain.hash(prev, seq, prepared);
                    int i = 1;
                    insert.setLong(i++, seq);
                    for (AuditField field : AuditField.values()) {
                        Object value = field.value(e);
                        if (value instanceof Instant instant) {
                            // OffsetDateTime, not Timestamp: java.sql.Timestamp switches to the Julian calendar
                            // before 1582, so an early date would be stored days off and no longer match its hash.
                            insert.setObject(i++, instant.atOffset(ZoneOffset.UTC));
                        } else {
                            insert.setString(i++, (String) value);
                        }
                    }
                    insert.setString(i++, prepared.payloadJson());
                    insert.setBytes(i++, prev);
                    insert.setBytes(i, hash);
                    insert.addBatch();
                    appended.add(new ChainedEvent(seq, e, prev, hash));
                    prev = hash;
                }
                insert.executeBatch();
            }
        }
        if (!quarantine.isEmpty()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into quarantined_event (received_at, topic, reason, payload) values (?, ?, ?, ?)")) {
                for (QuarantinedMessage q : quarantine) {
                    insert.setTimestamp(1, Timestamp.from(q.receivedAt()));
                    insert.setString(2, q.topic());
                    insert.setString(3, q.reason());
                    insert.setBytes(4, q.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return new AppendResult(appended, events.size() - appended.size(), quarantine.size());
    }

    private static void storeBatches(Connection c, List<SignedBatchRecord> batches) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into signed_batch (digest, signer, received_at,"
                + " message) values (?, ?, ?, ?) on conflict (digest) do nothing")) {
            for (SignedBatchRecord b : batches) {
                insert.setString(1, b.digest());
                insert.setString(2, b.signer());
                insert.setObject(3, b.receivedAt().atOffset(ZoneOffset.UTC));
                insert.setString(4, b.message());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The message of the signed batch of this digest, if it is stored. */
    public Optional<String> signedBatch(String digest) {
        return query("select message from signed_batch where digest = ?", List.of(digest), rs -> rs.getString(1))
                .stream()
                .findFirst();
    }

    private static Set<String> existingIds(Connection c, Set<String> ids) throws SQLException {
        Set<String> known = new HashSet<>();
        try (PreparedStatement select =
                c.prepareStatement("select event_id from audit_event where event_id = any(?)")) {
            Array array = c.createArrayOf("text", ids.toArray());
            select.setArray(1, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return known;
    }

    /** Runs a read-only query and maps each row. */
    public <T> List<T> query(String sql, List<?> parameters, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Streams events in sequence order from {@code fromSeq} through {@code toSeq}, without holding them all. */
    public void forEachInRange(long fromSeq, long toSeq, RowConsumer<ChainedEvent> consumer) {
        stream(
                "select " + COLUMNS + " from audit_event where seq between ? and ? order by seq",
                List.of(fromSeq, toSeq),
                rs -> consumer.accept(chained(rs)));
    }

    /** Runs a query through a server-side cursor, handing each row to {@code consumer} until it returns false. */
    public void stream(String sql, List<?> parameters, RowConsumer<ResultSet> consumer) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a server-side cursor needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                bind(c, ps, parameters);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!consumer.accept(rs)) {
                            break;
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public Optional<ChainedEvent> bySeq(long seq) {
        List<ChainedEvent> rows =
                query("select " + COLUMNS + " from audit_event where seq = ?", List.of(seq), EventStore::chained);
        return rows.stream().findFirst();
    }

    public long headSeq() {
        return query("select coalesce(max(seq), 0) from audit_event", List.of(), rs -> rs.getLong(1))
                .get(0);
    }

    /** The newest link, if any. */
    public Optional<ChainedEvent> head() {
        return query(
                        "select " + COLUMNS + " from audit_event order by seq desc limit 1",
                        List.of(),
                        EventStore::chained)
                .stream()
                .findFirst();
    }

    /** The stored hash of each of these links that exists. */
    public Map<Long, byte[]> hashesAt(List<Long> seqs) {
        Map<Long, byte[]> hashes = new LinkedHashMap<>();
        query(
                "select seq, hash from audit_event where seq = any(?) order by seq",
                List.of((Object) seqs.toArray(new Long[0])),
                rs -> hashes.put(rs.getLong(1), rs.getBytes(2)));
        return hashes;
    }

    public long quarantineCount() {
        return query("select count(*) from quarantined_event", List.of(), rs -> rs.getLong(1))
                .get(0);
    }

    /** Maps a row selected with {@link #COLUMNS}. */
    public static ChainedEvent chained(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(
                rs.getString("event_id"),
                rs.getString("event_type"),
                rs.getString("source"),
                rs.getString("topic"),
                instant(rs, "occurred_at"),
                instant(rs, "received_at"),
                rs.getString("installer"),
                rs.getString("serial_number"),
                rs.getString("template_name"),
                rs.getString("claim_certificate_id"),
                rs.getString("certificate_id"),
                rs.getString("thing_name"),
                rs.getString("client_id"),
                rs.getString("outcome"),
                rs.getString("reason"),
                rs.getString("signer"),
                rs.getString("trace_id"),
                rs.getString("signed_batch"),
                json(rs.getString("payload")));
        return new ChainedEvent(rs.getLong("seq"), event, rs.getBytes("prev_hash"), rs.getBytes("hash"));
    }

    public static String columns() {
        return COLUMNS;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<?> parameters) throws SQLException {
        int i = 1;
        for (Object p : parameters) {
            if (p instanceof Instant instant) {
                ps.setTimestamp(i++, Timestamp.from(instant));
            } else if (p instanceof String[] strings) {
                ps.setArray(i++, c.createArrayOf("text", strings));
            } else if (p instanceof Long[] longs) {
                ps.setArray(i++, c.createArrayOf("bigint", longs));
            } else {
                ps.setObject(i++, p);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface RowConsumer<T> {
        /** Returns false to stop. */
        boolean accept(T row) throws SQLException;
    }
}
