-- What audit_event's secondary indexes cost per provisioned device, on the PostgreSQL the log lives on.
-- Run against the audit database of a system that has provisioned a few devices (docs/benchmarks/audit-ingest.md,
-- "What the log's indexes cost"). Reads audit_event only; works in a scratch schema that it drops at the end.
--
-- It copies the log's rows 1,400 times over (distinct ids, hashes and names, so every index sees new keys) into four
-- tables and times one INSERT ... SELECT into each, three rounds, each round in the same order:
--   all       audit_event's own indexes and unique constraints, as migrated;
--   unqueried all but the two indexes no query reads (signer, signed_batch);
--   partial   the seven single-column lookup indexes as partial indexes "where <column> is not null";
--   none      the primary key only.
-- The time is the server's, for the rows and their index entries; the figure per device multiplies the time per row
-- by the rows a device leaves in the log (rows per ThingCreated).
\set ON_ERROR_STOP on
set client_min_messages = notice;
drop schema if exists index_cost cascade;
create schema index_cost;
set search_path = index_cost, public;

create table src as select * from public.audit_event;
create table t_all (like public.audit_event including defaults including constraints including indexes);
create table t_unqueried (like t_all including all);
drop index t_unqueried_signer_idx, t_unqueried_signed_batch_idx;
create table t_none (like public.audit_event including defaults including constraints);
alter table t_none add primary key (seq);
create table t_partial (like t_none including all);
alter table t_partial add unique (event_id), add unique (hash);
create index on t_partial (event_type, occurred_at);
create index on t_partial (occurred_at);
create index on t_partial (thing_name) where thing_name is not null;
create index on t_partial (client_id) where client_id is not null;
create index on t_partial (installer) where installer is not null;
create index on t_partial (claim_certificate_id) where claim_certificate_id is not null;
create index on t_partial (certificate_id) where certificate_id is not null;
create index on t_partial (serial_number) where serial_number is not null;
create index on t_partial (trace_id) where trace_id is not null;

do $$
declare
    copies constant int := 1400;
    source_rows bigint;
    rows_per_device numeric;
    variant text;
    started timestamptz;
    micros numeric;
begin
    select count(*), count(*)::numeric / nullif(count(*) filter (where event_type = 'ThingCreated'), 0)
      into source_rows, rows_per_device from src;
    if rows_per_device is null then
        raise exception 'audit_event has no ThingCreated row: provision a few devices first';
    end if;
    raise notice 'audit_event: % rows, % per device; % rows per table and round',
        source_rows, round(rows_per_device, 2), source_rows * copies;
    for r in 1..3 loop
        foreach variant in array array['all', 'unqueried', 'partial', 'none'] loop
            execute format('truncate t_%s', variant);
            started := clock_timestamp();
            execute format(
                'insert into t_%s select s.seq + g * 1000000, s.event_id || ''-'' || g, event_type, source, topic,'
                ' occurred_at, received_at, installer, serial_number || g, template_name, claim_certificate_id || g,'
                ' certificate_id || g, thing_name || g, client_id || g, outcome, reason, payload, prev_hash,'
                ' sha256(hash || int4send(g)), signer, trace_id, signed_batch'
                ' from src s cross join generate_series(1, %s) g', variant, copies);
            micros := extract(epoch from clock_timestamp() - started) * 1e6 / (source_rows * copies);
            raise notice 'round % %: % us per row, % ms per device', r, rpad(variant, 9),
                round(micros, 2), round(micros * rows_per_device / 1000, 3);
        end loop;
    end loop;
end
$$;

drop schema index_cost cascade;
