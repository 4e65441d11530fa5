package io.fleetprov.claims.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The outbox table: events written with the state change they describe, until the broker has them. */
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

    /** Unconfirmed events never sent, or sent before {@code resendBefore}, oldest first. */
    public List<OutboxEntry> due(Instant resendBefore, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = ClaimStore.prepare(
                        c,
                        "select id, event_id, topic, payload from outbox "
                                + "where confirmed_at is null and (sent_at is null or sent_at < ?) order by id limit ?",
                        resendBefore,
                        limit);
                ResultSet rs = ps.executeQuery()) {
            List<OutboxEntry> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new OutboxEntry(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)));
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public void markSent(long id, Instant now) {
        update("update outbox set sent_at = ?, attempts = attempts + 1 where id = ?", now, id);
    }

    /** The broker routed the event back to us: it is delivered. */
    public boolean confirm(UUID eventId, Instant now) {
        return update("update outbox set confirmed_at = ? where event_id = ? and confirmed_at is null", now, eventId)
                == 1;
    }

    public long backlog() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from outbox where confirmed_at is null");
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
