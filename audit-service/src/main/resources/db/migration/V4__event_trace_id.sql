-- The W3C trace id the event carried (the trace of the installer's claim request, so one device's provisioning is one
-- trace), or null: AWS's own events carry none, nor do rows stored before V4. Like V3, adding a column rewrites no
-- row, the append-only triggers still refuse every UPDATE, DELETE and TRUNCATE, and the app role's table-wide INSERT
-- covers the column. Indexed: "which rows belong to this trace" is how a trace is found from the log.
alter table audit_event add column trace_id text;

create index audit_event_trace on audit_event (trace_id);
