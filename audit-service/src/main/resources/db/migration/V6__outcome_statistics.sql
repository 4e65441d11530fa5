-- The planner's share of allowed (or denied) hook decisions. The anomaly queries filter on lower(outcome), an
-- expression PostgreSQL keeps no statistics on by itself: it guessed a hundredth of the hook decisions matched, read
-- the "few" allowed hooks once and compared every thing with each of them (THING_WITHOUT_CLAIM narrowed to 6,000 new
-- things: 8.8 s under load; AnomalyQueryPlanTest). Statistics only: no row, trigger or privilege changes.
create statistics audit_event_type_outcome (mcv) on event_type, lower(outcome) from audit_event;
