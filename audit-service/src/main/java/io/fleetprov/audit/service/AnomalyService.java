package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.service.Anomaly.Kind;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.protocol.event.Outcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Finds anomalies with one SQL query per kind over the whole log, so that they do not depend on arrival order.
 * Each row of a query is (subject, at, detail, event ids). The counts by kind are published as the gauge
 * {@code audit_anomalies{kind=…}}, refreshed on a schedule.
 */
@ApplicationScoped
public class AnomalyService {

    private static final Logger LOG = Logger.getLogger(AnomalyService.class);
    private static final String ALLOWED = EventTypes.outcomeIs("%s.outcome", Outcome.ALLOW);
    private static final String DENIED = EventTypes.outcomeIs("%s.outcome", Outcome.DENY);

    /**
     * Things created before {@code ?} that no allowed hook of an issued claim matches. One "not exists" per way a
     * thing can match: the same conditions joined by "or" in one subquery made PostgreSQL compare every thing with
     * every hook (over a minute at 9,000 devices, one core busy for good with the refresh every 30 s). Package-private
     * for {@code AnomalyQueryPlanTest}.
     */
    static final String THING_WITHOUT_CLAIM_SQL = "select 'thing:' || t.thing_name, t.occurred_at,"
            + " 'thing created with no claim on record', array[t.event_id] from audit_event t"
            + " where t.event_type = 'ThingCreated' and t.received_at < ?"
            + noAllowedHookWithClaim("", "h.thing_name = t.thing_name")
            + noAllowedHookWithClaim("", "h.serial_number = t.thing_name")
            + noAllowedHookWithClaim("", "h.serial_number = t.serial_number")
            + noAllowedHookWithClaim(
                    "audit_event p, ",
                    "h.certificate_id = p.certificate_id and p.event_type = 'PresenceConnected'"
                            + " and p.client_id = t.thing_name");

    private final EventStore store;
    private final EventQueries queries;
    private final AuditConfig.Anomalies config;
    private final Clock clock = Clock.systemUTC();
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);

    public AnomalyService(EventStore store, EventQueries queries, AuditConfig config, MeterRegistry registry) {
        this.store = store;
        this.queries = queries;
        this.config = config.anomalies();
        for (Kind kind : Kind.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(kind, count);
            Gauge.builder("audit.anomalies", count, AtomicLong::get)
                    .tag("kind", kind.name())
                    .description("Anomalies on record, by kind")
                    .register(registry);
        }
    }

    public Page<Anomaly> page(Kind kind, String cursor, Integer limit) {
        int size = queries.pageSize(limit);
        List<Anomaly> all = kind == null ? all() : find(kind);
        Comparator<Anomaly> order =
                Comparator.comparing(Anomaly::at).thenComparing(Anomaly::kind).thenComparing(Anomaly::subject);
        all.sort(order);
        int start = 0;
        if (cursor != null && !cursor.isBlank()) {
            String[] key = Cursor.decode(cursor, 3);
            Anomaly last;
            try {
                last = new Anomaly(Kind.valueOf(key[1]), key[2], Instant.parse(key[0]), null, List.of());
            } catch (RuntimeException e) {
                throw new InvalidRequestException("invalid cursor");
            }
            while (start < all.size() && order.compare(all.get(start), last) <= 0) {
                start++;
            }
        }
        List<Anomaly> rows = all.subList(start, Math.min(all.size(), start + size + 1));
        return EventQueries.page(
                rows, size, a -> Cursor.encode(a.at().toString(), a.kind().name(), a.subject()));
    }

    public List<Anomaly> all() {
        List<Anomaly> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            all.addAll(find(kind));
        }
        return all;
    }

    @Scheduled(
            every = "{audit.anomalies.refresh-interval}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshGauges() {
        try {
            for (Kind kind : Kind.values()) {
                counts.get(kind).set(find(kind).size());
            }
        } catch (RuntimeException e) {
            LOG.debugf("anomaly gauges not refreshed: %s", e.getMessage());
        }
    }

    public List<Anomaly> find(Kind kind) {
        Instant now = clock.instant();
        return switch (kind) {
            case CLAIM_USED_TWICE ->
                query(
                        kind,
                        "select 'claim:' || claim_certificate_id, max(occurred_at),"
                                + " count(distinct coalesce(certificate_id, event_id)) || ' provisioning attempts with one claim',"
                                + " array_agg(event_id order by occurred_at, seq) from audit_event"
                                + " where event_type = 'HookDecision' and claim_certificate_id is not null"
                                + " group by claim_certificate_id having count(distinct coalesce(certificate_id, event_id)) > 1",
                        List.of());
            case WRONG_SERIAL ->
                query(
                        kind,
                        "select 'claim:' || h.claim_certificate_id, h.occurred_at,"
                                + " 'claim issued for serial ' || c.serial_number || ', presented with serial ' || h.serial_number"
                                + " || ' (' || coalesce(h.outcome, '?') || ')', array[c.event_id, h.event_id]"
                                + " from audit_event h join audit_event c on c.event_type = 'ClaimIssued'"
                                + " and c.claim_certificate_id = h.claim_certificate_id"
                                + " where h.event_type = 'HookDecision' and h.serial_number <> c.serial_number",
                        List.of());
            case CLAIM_EXPIRED_UNUSED ->
                query(
                        kind,
                        "select 'claim:' || claim_certificate_id, min(occurred_at),"
                                + " 'claim expired unused' || coalesce(' (installer ' || max(installer) || ')', ''),"
                                + " array_agg(event_id order by seq) from audit_event"
                                + " where event_type = 'ClaimExpiredUnused' and claim_certificate_id is not null"
                                + " group by claim_certificate_id",
                        List.of());
            case THING_WITHOUT_CLAIM -> query(kind, THING_WITHOUT_CLAIM_SQL, List.of(now.minus(config.claimGrace())));
            case SERIAL_PROVISIONED_TWICE ->
                query(
                        kind,
                        "select 'serial:' || serial_number, max(occurred_at),"
                                + " count(distinct coalesce(certificate_id, event_id)) || ' devices provisioned with this serial',"
                                + " array_agg(event_id order by occurred_at, seq) from audit_event h"
                                + " where event_type = 'HookDecision' and serial_number is not null and "
                                + ALLOWED.formatted("h")
                                + " group by serial_number having count(distinct coalesce(certificate_id, event_id)) > 1",
                        List.of());
            case DENIAL_BURST ->
                query(
                        kind,
                        "with d as (select coalesce(e.installer, c.installer) as installer,"
                                + "   e.occurred_at, e.event_id, e.seq from audit_event e left join audit_event c"
                                + "   on e.installer is null and c.event_type = 'ClaimIssued'"
                                + "   and c.claim_certificate_id = e.claim_certificate_id"
                                + "   where e.event_type = 'ClaimRefused' or (e.event_type = 'HookDecision' and "
                                + DENIED.formatted("e") + ")),"
                                + " w as (select installer, occurred_at, count(*) over (partition by installer order by"
                                + "   occurred_at range between make_interval(secs => ?) preceding and current row) as n"
                                + "   from d where installer is not null),"
                                + " b as (select installer, min(occurred_at) as at, max(n) as peak from w where n >= ?"
                                + "   group by installer)"
                                + " select 'installer:' || b.installer, b.at, b.peak || ' denials within ' || ? || ' s',"
                                + " (select array_agg(d.event_id order by d.occurred_at, d.seq) from d where"
                                + "   d.installer = b.installer and d.occurred_at > b.at - make_interval(secs => ?)"
                                + "   and d.occurred_at <= b.at) from b",
                        List.of(
                                seconds(config.denialBurstWindow()), config.denialBurstCount(),
                                config.denialBurstWindow().toSeconds(), seconds(config.denialBurstWindow())));
            case NEVER_RECONNECTED ->
                query(
                        kind,
                        "select 'certificate:' || h.certificate_id, h.occurred_at,"
                                + " 'no connect with the new certificate' || coalesce(' (serial ' || h.serial_number || ')', ''),"
                                + " array[h.event_id] from audit_event h where h.event_type = 'HookDecision' and "
                                + ALLOWED.formatted("h") + " and h.certificate_id is not null and h.occurred_at < ?"
                                + " and not exists (select 1 from audit_event p where p.event_type = 'PresenceConnected'"
                                + "   and p.certificate_id = h.certificate_id)",
                        List.of(now.minus(config.reconnectDeadline())));
        };
    }

    /** No allowed hook ({@code h}) of an issued claim ({@code c}) that meets {@code condition}. */
    private static String noAllowedHookWithClaim(String joinedBefore, String condition) {
        return " and not exists (select 1 from " + joinedBefore + "audit_event h join audit_event c"
                + " on c.event_type = 'ClaimIssued' and c.claim_certificate_id = h.claim_certificate_id"
                + " where h.event_type = 'HookDecision' and " + ALLOWED.formatted("h") + " and " + condition + ")";
    }

    private List<Anomaly> query(Kind kind, String sql, List<?> params) {
        return store.query(sql, params, rs -> anomaly(kind, rs));
    }

    private static Anomaly anomaly(Kind kind, ResultSet rs) throws SQLException {
        Array ids = rs.getArray(4);
        List<String> eventIds = ids == null ? List.of() : Arrays.asList((String[]) ids.getArray());
        return new Anomaly(
                kind,
                rs.getString(1),
                rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                rs.getString(3),
                eventIds);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
