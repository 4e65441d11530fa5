package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.protocol.event.TraceIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Lists and exports the log: filter by type, trace and event time, in chain order, paged by sequence number. */
@ApplicationScoped
public class EventQueries {

    private final EventStore store;
    private final AuditConfig.Api api;

    public EventQueries(EventStore store, AuditConfig config) {
        this.store = store;
        this.api = config.api();
    }

    /** {@code traceId}, when given, is a W3C trace id: every event of one device's provisioning. */
    public record Filter(String type, Instant since, Instant until, String traceId) {
        public Filter {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new InvalidRequestException("since must be before until");
            }
            if (traceId != null && !TraceIds.isTraceId(traceId)) {
                throw new InvalidRequestException("traceId must be a W3C trace id: 32 lowercase hex digits, not all 0");
            }
        }
    }

    public Page<EventView> page(Filter filter, String cursor, Integer limit) {
        int size = pageSize(limit);
        List<Object> params = new ArrayList<>();
        String sql = select(filter, Cursor.afterSeq(cursor), params) + " limit ?";
        params.add(size + 1);
        List<EventView> rows = store.query(sql, params, rs -> EventView.of(EventStore.chained(rs)));
        return page(rows, size, v -> Cursor.encode(Long.toString(v.seq())));
    }

    /** Every matching event from the cursor on, streamed in chain order. */
    public void export(Filter filter, String cursor, Consumer<ChainedEvent> sink) {
        List<Object> params = new ArrayList<>();
        store.stream(select(filter, Cursor.afterSeq(cursor), params), params, rs -> {
            sink.accept(EventStore.chained(rs));
            return true;
        });
    }

    private static String select(Filter filter, long afterSeq, List<Object> params) {
        StringBuilder sql =
                new StringBuilder("select ").append(EventStore.columns()).append(" from audit_event where seq > ?");
        params.add(afterSeq);
        if (filter.type() != null && !filter.type().isBlank()) {
            sql.append(" and event_type = ?");
            params.add(filter.type());
        }
        if (filter.traceId() != null) {
            sql.append(" and trace_id = ?");
            params.add(filter.traceId());
        }
        if (filter.since() != null) {
            sql.append(" and occurred_at >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            sql.append(" and occurred_at < ?");
            params.add(filter.until());
        }
        return sql.append(" order by seq").toString();
    }

    int pageSize(Integer limit) {
        if (limit == null) {
            return api.defaultPageSize();
        }
        if (limit < 1 || limit > api.maxPageSize()) {
            throw new InvalidRequestException("limit must be between 1 and " + api.maxPageSize());
        }
        return limit;
    }

    static <T> Page<T> page(List<T> rows, int size, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, size);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(size - 1)));
    }

    List<ChainedEvent> byColumn(String column, String value, String... types) {
        return store.query(
                "select " + EventStore.columns() + " from audit_event where " + column
                        + " = ? and event_type = any(?) order by occurred_at, seq",
                List.of(value, types),
                EventStore::chained);
    }
}
