package io.fleetprov.claims.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The outbox table: events written with the state change they describe, until the broker has them. Several
 * replicas relay it at once: {@link #take} leases rows to one of them by setting {@code sent_at} in a single
 * statement ({@code FOR UPDATE SKIP LOCKED}), and no other replica takes a row again before it is due for
 * redelivery.
 */
@ApplicationScoped
public class OutboxStore {

    private final DataSource dataSource;

    public OutboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Joins the caller's transaction. */
    public void append(UUID eventId, String topic, String payload, Instant now) {
        update(
                "insert into outbox (event_id, topic, payload, created_at) values (?, ?, ?, ?)",
                eventId,
                topic,
                payload,
                now);
    }

    /**
     * Takes up to {@code limit} live events never sent, or sent before {@code resendBefore} with fewer than
     * {@code maxAttempts} sends, counting this send; oldest first. Rows another replica is taking are skipped.
     */
    public List<OutboxEntry> take(Instant now, Instant resendBefore, int maxAttempts, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = ClaimStore.prepare(
                        c,
                        "update outbox set sent_at = ?, attempts = attempts + 1 where id in ("
                                + "select id from outbox where confirmed_at is null and dead_at is null "
                                + "and (sent_at is null or sent_at < ?) and attempts < ? "
                                + "order by id limit ? for update skip locked) "
                                + "returning id, event_id, topic, payload, attempts",
                        now,
                        resendBefore,
                        maxAttempts,
                        limit);
                ResultSet rs = ps.executeQuery()) {
            List<OutboxEntry> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new OutboxEntry(
                        rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getInt(5)));
            }
            rows.sort(Comparator.comparingLong(OutboxEntry::id));
            return rows;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The event never reached the broker (it is unreachable): due again at once, and the send does not count. */
    public void release(long id) {
        update(
                "update outbox set sent_at = null, attempts = attempts - 1 where id = ? and confirmed_at is null "
                        + "and dead_at is null",
                id);
    }

    /** An event as the broker routed it back: its id, and its row's payload exactly as written. */
    public record Delivered(UUID eventId, String payload) {}

    /**
     * The broker routed these events back to us: they are delivered. Only a row's payload exactly as written (checked
     * by the caller to have come under the service's own signature) confirms it, so a message merely naming the
     * event id (anyone may read ids off the topic) cannot stop its delivery. One statement for a whole echoed batch:
     * a statement and a commit per event were a seventh of the claims database's statements. Returns how many rows it
     * confirmed.
     */
    public int confirm(List<Delivered> delivered, Instant now) {
        if (delivered.isEmpty()) {
            return 0;
        }
        return update(
                "update outbox set confirmed_at = ? from unnest(?, ?) as d (event_id, payload)"
                        + " where outbox.event_id = d.event_id and outbox.payload = d.payload"
                        + " and outbox.confirmed_at is null",
                now,
                delivered.stream().map(Delivered::eventId).toArray(UUID[]::new),
                delivered.stream().map(Delivered::payload).toArray(String[]::new));
    }

    /**
     * Deletes up to {@code limit} events delivered (confirmed) before {@code before}; returns how many. Through the
     * index of delivered events ({@code V5}), so it reads what it deletes, however long the retention.
     */
    public int pruneDelivered(Instant before, int limit) {
        return update(
                "delete from outbox where id in (select id from outbox where confirmed_at < ? limit ?)", before, limit);
    }

    /** Gives up on one event. */
    public void deadLetter(long id, String reason, Instant now) {
        update(
                "update outbox set dead_at = ?, dead_reason = ? where id = ? and confirmed_at is null "
                        + "and dead_at is null",
                now,
                reason,
                id);
    }

    /** Gives up on every event sent {@code maxAttempts} times and still unconfirmed at {@code resendBefore}. */
    public List<OutboxEntry> deadLetterExhausted(int maxAttempts, Instant resendBefore, String reason, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = ClaimStore.prepare(
                        c,
                        "update outbox set dead_at = ?, dead_reason = ? where confirmed_at is null "
                                + "and dead_at is null and attempts >= ? and sent_at < ? "
                                + "returning id, event_id, topic, null, attempts",
                        now,
                        reason,
                        maxAttempts,
                        resendBefore);
                ResultSet rs = ps.executeQuery()) {
            List<OutboxEntry> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new OutboxEntry(
                        rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), null, rs.getInt(5)));
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Events neither confirmed nor given up on. */
    public long backlog() {
        return count("select count(*) from outbox where confirmed_at is null and dead_at is null");
    }

    public long deadLetters() {
        return count("select count(*) from outbox where dead_at is not null");
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = ClaimStore.prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
