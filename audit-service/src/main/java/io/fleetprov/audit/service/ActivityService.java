package io.fleetprov.audit.service;

import io.fleetprov.audit.store.EventStore;
import io.fleetprov.protocol.event.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** An installer's activity, joined through the claims they were issued. */
@ApplicationScoped
public class ActivityService {

    /** The installer's events: their own, and every event about a claim issued to them. */
    private static final String EVENTS = "from audit_event e where e.installer = ? or e.claim_certificate_id in "
            + "(select c.claim_certificate_id from audit_event c where c.event_type = 'ClaimIssued' "
            + "and c.installer = ?)";

    private static final String SUMMARY = "with e as (select * " + EVENTS + ") select"
            + " count(*) filter (where event_type = 'ClaimIssued'),"
            + " count(distinct claim_certificate_id) filter (where event_type = 'HookDecision'"
            + "   and " + EventTypes.outcomeIs("outcome", Outcome.ALLOW) + "),"
            + " count(distinct claim_certificate_id) filter (where event_type = 'ClaimExpiredUnused'),"
            + " count(*) filter (where event_type = 'ClaimRefused' or (event_type = 'HookDecision'"
            + "   and " + EventTypes.outcomeIs("outcome", Outcome.DENY) + "))"
            + " from e";

    private final EventStore store;
    private final EventQueries queries;

    public ActivityService(EventStore store, EventQueries queries) {
        this.store = store;
        this.queries = queries;
    }

    public InstallerActivity activity(String subject, String cursor, Integer limit) {
        int size = queries.pageSize(limit);
        InstallerActivity.Summary summary = store.query(
                        SUMMARY,
                        List.of(subject, subject),
                        rs -> new InstallerActivity.Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .get(0);
        List<EventView> rows = store.query(
                "select " + EventStore.columns().replace("payload::text", "e.payload::text") + " " + EVENTS
                        + " and e.seq > ? order by e.seq limit ?",
                List.of(subject, subject, Cursor.afterSeq(cursor), size + 1),
                rs -> EventView.of(EventStore.chained(rs)));
        if (rows.isEmpty() && summary.issued() == 0 && (cursor == null || cursor.isBlank())) {
            throw new NotFoundException("no activity on record for installer " + subject);
        }
        Page<EventView> page = EventQueries.page(rows, size, v -> Cursor.encode(Long.toString(v.seq())));
        return new InstallerActivity(subject, summary, page.items(), page.nextCursor());
    }
}
