package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.service.Anomaly.Kind;
import io.fleetprov.audit.store.EventStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Publishes the number of anomalies by kind as {@code audit_anomalies{kind=…}}, at a cost that follows what arrived
 * rather than the size of the log: recomputing every kind over the whole log every 30 s grew with the log for good
 * (3.8 s of PostgreSQL per refresh at 220,000 events). A refresh re-runs {@link AnomalyService}'s queries only for the
 * subjects that events appended since the last refresh name, and, for the two kinds that depend on time,
 * {@code THING_WITHOUT_CLAIM} and {@code NEVER_RECONNECTED}, for those whose deadline has passed since and those
 * already reported (a later event can settle them). The other kinds only grow as events arrive. Every
 * {@code audit.anomalies.full-refresh-interval} everything is recomputed from the whole log, which also settles the
 * rare cases the narrowed refresh does not see: a producer's clock more than {@link #CLOCK_MARGIN} off ours, or a
 * hook denial whose claim's issuance arrives later than the refresh after the denial.
 */
@ApplicationScoped
public class AnomalyGauges {

    private static final Logger LOG = Logger.getLogger(AnomalyGauges.class);
    /** How far around a deadline events are looked at, for producers' clocks a little off ours. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

    private final AnomalyService anomalies;
    private final EventStore store;
    private final AuditConfig.Anomalies config;
    private final Clock clock = Clock.systemUTC();
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    /** Per kind, the rows the kind's query returns for each subject's key, for subjects with any. */
    private final Map<Kind, Map<String, Integer>> rowsByKey = new EnumMap<>(Kind.class);
    /**
     * The last sequence number at each refresh (and, from a full one, where the deadlines' windows then began),
     * oldest first, back to the one the longest deadline needs.
     */
    private final Deque<Mark> marks = new ArrayDeque<>();

    private Instant lastFullRefresh;

    private record Mark(Instant at, long seq) {}

    public AnomalyGauges(AnomalyService anomalies, EventStore store, AuditConfig config, MeterRegistry registry) {
        this.anomalies = anomalies;
        this.store = store;
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

    @Scheduled(
            every = "{audit.anomalies.refresh-interval}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void refresh() {
        try {
            refresh(clock.instant());
        } catch (RuntimeException e) {
            // The next refresh recomputes everything: what this one changed before failing is not trusted.
            lastFullRefresh = null;
            LOG.debugf("anomaly gauges not refreshed: %s", e.getMessage());
        }
    }

    /** The count of one kind, as the gauge shows it. */
    long count(Kind kind) {
        return counts.get(kind).get();
    }

    synchronized void refresh(Instant now) {
        // Read first: whatever is appended while the queries run is looked at again next time.
        long head = store.headSeq();
        if (lastFullRefresh == null || !now.isBefore(lastFullRefresh.plus(config.fullRefreshInterval()))) {
            refreshAll(now);
        } else {
            refreshSince(now, marks.getLast());
        }
        marks.addLast(new Mark(now, head));
        Instant oldestNeeded = now.minus(longestDeadline()).minus(CLOCK_MARGIN);
        while (marks.size() > 1 && !second(marks).at().isAfter(oldestNeeded)) {
            marks.removeFirst();
        }
        rowsByKey.forEach((kind, rows) -> counts.get(kind)
                .set(rows.values().stream().mapToLong(Integer::longValue).sum()));
    }

    private void refreshAll(Instant now) {
        for (Kind kind : Kind.values()) {
            Map<String, Integer> rows = new HashMap<>();
            count(anomalies.find(kind, now), rows);
            rowsByKey.put(kind, rows);
        }
        // Where the deadlines' windows begin in the log, so that the next refreshes need not read it from the start.
        marks.clear();
        Stream.of(config.claimGrace(), config.reconnectDeadline())
                .sorted(Comparator.reverseOrder())
                .map(deadline -> now.minus(deadline).minus(CLOCK_MARGIN))
                .forEach(at -> marks.addLast(new Mark(at, seqReceivedBefore(at))));
        lastFullRefresh = now;
    }

    private void refreshSince(Instant now, Mark last) {
        long since = last.seq();
        Set<String> claims = keys("claim_certificate_id", "true", since, since, since);
        refresh(Kind.CLAIM_USED_TWICE, claims, now);
        refresh(Kind.WRONG_SERIAL, claims, now);
        refresh(Kind.CLAIM_EXPIRED_UNUSED, claims, now);
        refresh(
                Kind.SERIAL_PROVISIONED_TWICE,
                keys("serial_number", ofType(EventTypes.HOOK_DECISION), since, since, since),
                now);
        refreshTimed(Kind.THING_WITHOUT_CLAIM, "thing_name", EventTypes.THING_CREATED, config.claimGrace(), last, now);
        refreshTimed(
                Kind.NEVER_RECONNECTED,
                "certificate_id",
                EventTypes.HOOK_DECISION,
                config.reconnectDeadline(),
                last,
                now);
        refreshDenialBursts(now, since);
    }

    /**
     * A kind that appears when its deadline passes and disappears when a later event settles it: looks at the
     * {@code type} events whose deadline passed since the last refresh, those appended since, and those reported.
     */
    private void refreshTimed(Kind kind, String column, String type, Duration deadline, Mark last, Instant now) {
        long from = seqAtOrBefore(last.at().minus(deadline).minus(CLOCK_MARGIN));
        long to = seqAtOrAfter(now.minus(deadline).plus(CLOCK_MARGIN));
        Set<String> keys = keys(column, ofType(type), from, to, last.seq());
        keys.addAll(rowsByKey.get(kind).keySet());
        refresh(kind, keys, now);
    }

    /** Replaces what is known of {@code keys}' subjects with what the kind's query says of them now. */
    private void refresh(Kind kind, Set<String> keys, Instant now) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, Integer> rows = rowsByKey.get(kind);
        rows.keySet().removeAll(keys);
        count(anomalies.findAmong(kind, new AnomalyService.Scope(keys, null), now), rows);
    }

    /**
     * A burst needs a new denial (or, rarely, a claim's issuance arriving after its denial: the full refresh sees
     * it). An installer reported once stays reported, so only the others are looked at, and only their denials from
     * one burst window before the earliest new one on.
     */
    private void refreshDenialBursts(Instant now, long since) {
        List<Object[]> denials = store.query(
                "select " + AnomalyService.DENIAL_INSTALLER + ", min(e.occurred_at) from " + AnomalyService.DENIALS
                        + " and e.seq > ? group by 1",
                List.of(since),
                rs -> new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class)});
        Map<String, Integer> reported = rowsByKey.get(Kind.DENIAL_BURST);
        Set<String> installers = new HashSet<>();
        Instant earliest = null;
        for (Object[] denial : denials) {
            String installer = (String) denial[0];
            if (installer != null && !reported.containsKey(installer)) {
                installers.add(installer);
                Instant at = ((OffsetDateTime) denial[1]).toInstant();
                earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
            }
        }
        if (!installers.isEmpty()) {
            count(
                    anomalies.findAmong(
                            Kind.DENIAL_BURST,
                            new AnomalyService.Scope(installers, earliest.minus(config.denialBurstWindow())),
                            now),
                    reported);
        }
    }

    private static void count(Collection<Anomaly> found, Map<String, Integer> rows) {
        for (Anomaly anomaly : found) {
            String subject = anomaly.subject();
            rows.merge(subject.substring(subject.indexOf(':') + 1), 1, Integer::sum);
        }
    }

    /**
     * The distinct non-null {@code column} of events that meet {@code condition} and come after {@code from} up to
     * {@code to}, or after {@code since}.
     */
    private Set<String> keys(String column, String condition, long from, long to, long since) {
        return new HashSet<>(store.query(
                "select distinct " + column + " from audit_event where ((seq > ? and seq <= ?) or seq > ?) and "
                        + column + " is not null and " + condition,
                List.of(from, to, since),
                rs -> rs.getString(1)));
    }

    private static String ofType(String type) {
        return "event_type = '" + type + "'";
    }

    /** The sequence number of the last refresh at or before {@code at}: every event received after it comes later. */
    private long seqAtOrBefore(Instant at) {
        long seq = 0;
        for (Mark mark : marks) {
            if (mark.at().isAfter(at)) {
                break;
            }
            seq = mark.seq();
        }
        return seq;
    }

    /**
     * The sequence number of the first refresh at or after {@code at}, or of the last one: every event received by
     * {@code at} comes no later than it.
     */
    private long seqAtOrAfter(Instant at) {
        for (Mark mark : marks) {
            if (!mark.at().isBefore(at)) {
                return mark.seq();
            }
        }
        return marks.getLast().seq();
    }

    private static Mark second(Deque<Mark> marks) {
        Iterator<Mark> it = marks.iterator();
        it.next();
        return it.next();
    }

    /**
     * The last sequence number received before {@code at}, 0 if none; read backwards from the end of the log, so it
     * reads only the events received since.
     */
    private long seqReceivedBefore(Instant at) {
        List<Long> seq = store.query(
                "select seq from audit_event where received_at < ? order by seq desc limit 1",
                List.of(at),
                rs -> rs.getLong(1));
        return seq.isEmpty() ? 0 : seq.get(0);
    }

    private Duration longestDeadline() {
        return max(config.claimGrace(), config.reconnectDeadline());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
