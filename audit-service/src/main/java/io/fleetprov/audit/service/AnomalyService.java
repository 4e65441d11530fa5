package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.service.Anomaly.Kind;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.protocol.event.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Finds anomalies with one SQL query per kind over the whole log, so that they do not depend on arrival order.
 * Each row of a query is (subject, at, detail, event ids). {@link AnomalyGauges} runs the same queries narrowed to
 * the subjects that new events name.
 */
@ApplicationScoped
public class AnomalyService {

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

    /** A denial's installer: the denial's own, or for a hook's denial that of the claim's issuance. */
    static final String DENIAL_INSTALLER = "coalesce(e.installer, c.installer)";

    /**
     * Denials {@code e} (claims refused, hooks denied) with the issuance {@code c} of their claim, for
     * {@link #DENIAL_INSTALLER}: a from clause and the start of its where clause.
     */
    static final String DENIALS = "audit_event e left join audit_event c on e.installer is null"
            + " and c.event_type = 'ClaimIssued' and c.claim_certificate_id = e.claim_certificate_id"
            + " where (e.event_type = 'ClaimRefused' or (e.event_type = 'HookDecision' and "
            + DENIED.formatted("e") + "))";

    private final EventStore store;
    private final EventQueries queries;
    private final AuditConfig.Anomalies config;
    private final Clock clock = Clock.systemUTC();

    public AnomalyService(EventStore store, EventQueries queries, AuditConfig config) {
        this.store = store;
        this.queries = queries;
        this.config = config.anomalies();
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

    public List<Anomaly> find(Kind kind) {
        return find(kind, clock.instant());
    }

    List<Anomaly> find(Kind kind, Instant now) {
        Query q = query(kind, now);
        return run(kind, q.sql().replace(SCOPE, ""), q.parameters(null));
    }

    /**
     * What {@link #find} returns for the subjects whose key (the part after {@code claim:}, {@code thing:}, ...) is
     * one of {@code scope}'s keys, reading only their events where indexes allow. For {@code DENIAL_BURST} it reads
     * only denials after {@code scope}'s {@code occurredAfter}: a burst among them, not necessarily the installer's
     * first.
     */
    List<Anomaly> findAmong(Kind kind, Scope scope, Instant now) {
        Query q = query(kind, now);
        return run(kind, q.sql().replace(SCOPE, q.scope()), q.parameters(scope));
    }

    /** Subjects' keys, and for {@code DENIAL_BURST} the time from which their denials are read. */
    record Scope(Collection<String> keys, Instant occurredAfter) {}

    /**
     * One kind's query: its text with {@link #SCOPE} where {@code scope}, a condition on the subject's key whose
     * parameters {@code scopeParameters} gives, goes to narrow it; and its own parameters before and after that place.
     */
    private record Query(
            String sql, String scope, Function<Scope, List<?>> scopeParameters, List<?> before, List<?> after) {

        /** Narrowed to the subjects whose key, {@code key}, is one of the scope's. */
        static Query byKey(String sql, String key, List<?> before, List<?> after) {
            return new Query(sql, keyIn(key), s -> List.of((Object) keys(s)), before, after);
        }

        static String[] keys(Scope scope) {
            return scope.keys().toArray(String[]::new);
        }

        List<Object> parameters(Scope narrowed) {
            List<Object> all = new ArrayList<>(before);
            if (narrowed != null) {
                all.addAll(scopeParameters.apply(narrowed));
            }
            all.addAll(after);
            return all;
        }
    }

    private static final String SCOPE = "{scope}";

    /** The condition that narrows a query to the rows whose {@code key} is one of an array parameter's elements. */
    static String keyIn(String key) {
        return " and " + key + " = any(?)";
    }

    private Query query(Kind kind, Instant now) {
        return switch (kind) {
            case CLAIM_USED_TWICE ->
                Query.byKey(
                        "select 'claim:' || claim_certificate_id, max(occurred_at),"
                                + " count(distinct coalesce(certificate_id, event_id)) || ' provisioning attempts with one claim',"
                                + " array_agg(event_id order by occurred_at, seq) from audit_event"
                                + " where event_type = 'HookDecision' and claim_certificate_id is not null" + SCOPE
                                + " group by claim_certificate_id having count(distinct coalesce(certificate_id, event_id)) > 1",
                        "claim_certificate_id",
                        List.of(),
                        List.of());
            case WRONG_SERIAL ->
                Query.byKey(
                        "select 'claim:' || h.claim_certificate_id, h.occurred_at,"
                                + " 'claim issued for serial ' || c.serial_number || ', presented with serial ' || h.serial_number"
                                + " || ' (' || coalesce(h.outcome, '?') || ')', array[c.event_id, h.event_id]"
                                + " from audit_event h join audit_event c on c.event_type = 'ClaimIssued'"
                                + " and c.claim_certificate_id = h.claim_certificate_id"
                                + " where h.event_type = 'HookDecision' and h.serial_number <> c.serial_number" + SCOPE,
                        "h.claim_certificate_id",
                        List.of(),
                        List.of());
            case CLAIM_EXPIRED_UNUSED ->
                Query.byKey(
                        "select 'claim:' || claim_certificate_id, min(occurred_at),"
                                + " 'claim expired unused' || coalesce(' (installer ' || max(installer) || ')', ''),"
                                + " array_agg(event_id order by seq) from audit_event"
                                + " where event_type = 'ClaimExpiredUnused' and claim_certificate_id is not null"
                                + SCOPE
                                + " group by claim_certificate_id",
                        "claim_certificate_id",
                        List.of(),
                        List.of());
            case THING_WITHOUT_CLAIM ->
                Query.byKey(
                        THING_WITHOUT_CLAIM_SQL + SCOPE,
                        "t.thing_name",
                        List.of(now.minus(config.claimGrace())),
                        List.of());
            case SERIAL_PROVISIONED_TWICE ->
                Query.byKey(
                        "select 'serial:' || serial_number, max(occurred_at),"
                                + " count(distinct coalesce(certificate_id, event_id)) || ' devices provisioned with this serial',"
                                + " array_agg(event_id order by occurred_at, seq) from audit_event h"
                                + " where event_type = 'HookDecision' and serial_number is not null and "
                                + ALLOWED.formatted("h") + SCOPE
                                + " group by serial_number having count(distinct coalesce(certificate_id, event_id)) > 1",
                        "serial_number",
                        List.of(),
                        List.of());
            case DENIAL_BURST ->
                new Query(
                        "with d as (select " + DENIAL_INSTALLER + " as installer,"
                                + "   e.occurred_at, e.event_id, e.seq from " + DENIALS + SCOPE + "),"
                                + " w as (select installer, occurred_at, count(*) over (partition by installer order by"
                                + "   occurred_at range between make_interval(secs => ?) preceding and current row) as n"
                                + "   from d where installer is not null),"
                                + " b as (select installer, min(occurred_at) as at, max(n) as peak from w where n >= ?"
                                + "   group by installer)"
                                + " select 'installer:' || b.installer, b.at, b.peak || ' denials within ' || ? || ' s',"
                                + " (select array_agg(d.event_id order by d.occurred_at, d.seq) from d where"
                                + "   d.installer = b.installer and d.occurred_at > b.at - make_interval(secs => ?)"
                                + "   and d.occurred_at <= b.at) from b",
                        " and " + DENIAL_INSTALLER + " = any(?) and e.occurred_at > ?",
                        scope -> List.of(Query.keys(scope), scope.occurredAfter()),
                        List.of(),
                        List.of(
                                seconds(config.denialBurstWindow()), config.denialBurstCount(),
                                config.denialBurstWindow().toSeconds(), seconds(config.denialBurstWindow())));
            case NEVER_RECONNECTED ->
                Query.byKey(
                        "select 'certificate:' || h.certificate_id, h.occurred_at,"
                                + " 'no connect with the new certificate' || coalesce(' (serial ' || h.serial_number || ')', ''),"
                                + " array[h.event_id] from audit_event h where h.event_type = 'HookDecision' and "
                                + ALLOWED.formatted("h") + " and h.certificate_id is not null and h.occurred_at < ?"
                                + " and not exists (select 1 from audit_event p where p.event_type = 'PresenceConnected'"
                                + "   and p.certificate_id = h.certificate_id)" + SCOPE,
                        "h.certificate_id",
                        List.of(now.minus(config.reconnectDeadline())),
                        List.of());
        };
    }

    /** No allowed hook ({@code h}) of an issued claim ({@code c}) that meets {@code condition}. */
    private static String noAllowedHookWithClaim(String joinedBefore, String condition) {
        return " and not exists (select 1 from " + joinedBefore + "audit_event h join audit_event c"
                + " on c.event_type = 'ClaimIssued' and c.claim_certificate_id = h.claim_certificate_id"
                + " where h.event_type = 'HookDecision' and " + ALLOWED.formatted("h") + " and " + condition + ")";
    }

    private List<Anomaly> run(Kind kind, String sql, List<?> params) {
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
