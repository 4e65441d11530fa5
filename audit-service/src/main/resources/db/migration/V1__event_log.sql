-- The audit log: append-only, hash-chained. seq is assigned by the single writer (gapless), so a missing
-- row shows as a gap; hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the row's other columns).
create table audit_event (
    seq                  bigint      primary key,
    event_id             text        not null unique,
    event_type           text        not null,
    source               text        not null,
    topic                text        not null,
    occurred_at          timestamptz not null,
    received_at          timestamptz not null,
    installer            text,
    serial_number        text,
    template_name        text,
    claim_certificate_id text,
    certificate_id       text,
    thing_name           text,
    client_id            text,
    outcome              text,
    reason               text,
    payload              jsonb       not null,
    prev_hash            bytea       not null,
    hash                 bytea       not null unique
);

create index audit_event_type_time on audit_event (event_type, occurred_at);
create index audit_event_time on audit_event (occurred_at);
create index audit_event_thing on audit_event (thing_name);
create index audit_event_client on audit_event (client_id);
create index audit_event_installer on audit_event (installer);
create index audit_event_claim on audit_event (claim_certificate_id);
create index audit_event_certificate on audit_event (certificate_id);
create index audit_event_serial on audit_event (serial_number);

-- Events that could not be read; kept with the reason, never in the chain.
create table quarantined_event (
    id          bigserial   primary key,
    received_at timestamptz not null,
    topic       text        not null,
    reason      text        not null,
    payload     bytea       not null
);

-- Append-only, enforced twice: no role but the owner may change rows (privileges), and not even the owner
-- or a superuser may, unless triggers are switched off on purpose (which the integrity check then exposes).
create function audit_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_refuse_change();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_refuse_change();
create trigger quarantined_event_append_only before update or delete on quarantined_event
    for each row execute function audit_refuse_change();
create trigger quarantined_event_no_truncate before truncate on quarantined_event
    for each statement execute function audit_refuse_change();

revoke all on audit_event, quarantined_event from public;
grant select, insert on audit_event, quarantined_event to ${appRole};
grant usage on sequence quarantined_event_id_seq to ${appRole};
