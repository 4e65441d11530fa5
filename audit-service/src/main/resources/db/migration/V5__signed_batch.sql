-- Producer-side batching: several events in one message under one signature (fleet-protocol's SignedBatch). Each event
-- is still its own row of the chain; what proves its origin is the batch's signed message, kept here once under the
-- lowercase hex SHA-256 of its bytes and named by the row's signed_batch column (null for events that came singly and
-- for rows stored before V5, which therefore hash as they always did). An auditor re-verifies a batched row by
-- verifying the batch's compact JWS with the signer's key and finding the row's envelope (its event id) among its
-- lines. Append-only like the log; the app role may only add to it. A replayed batch is the same digest, stored once.
create table signed_batch (
    digest      text        primary key,
    signer      text        not null,
    received_at timestamptz not null,
    message     text        not null
);

alter table audit_event add column signed_batch text;

create index audit_event_signed_batch on audit_event (signed_batch);

create trigger signed_batch_append_only before update or delete on signed_batch
    for each row execute function audit_refuse_change();
create trigger signed_batch_no_truncate before truncate on signed_batch
    for each statement execute function audit_refuse_change();

revoke all on signed_batch from public;
grant select, insert on signed_batch to ${appRole};
