-- The kid of the key whose signature on a fleetprov event was verified at ingest (null for AWS's own events and
-- for rows stored before events were signed). Adding a column rewrites no row, so the append-only triggers stay as
-- they are and still refuse every UPDATE, DELETE and TRUNCATE; the app role's table-wide INSERT covers the column.
alter table audit_event add column signer text;

create index audit_event_signer on audit_event (signer);
