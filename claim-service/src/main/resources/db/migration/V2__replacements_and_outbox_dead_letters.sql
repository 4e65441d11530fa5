-- A claim asked for with "replace": true provisions a device in place of the one already provisioned under its
-- serial number. Once the new device has registered, the old device's certificates are retired; replaced_at and
-- replacement_outcome record when and how that ended ('replaced', 'nothing-to-replace', 'not-registered').
alter table claims
    add column replaces_device     boolean      not null default false,
    add column replaced_at         timestamptz,
    add column replacement_outcome varchar(32);

create index claims_used_serial on claims (serial_number) where status = 'USED';
create index claims_replacements_due on claims (used_at) where replaces_device and replaced_at is null and status = 'USED';

-- Outbox: sent_at doubles as the lease of the replica that took the row (no other replica takes it again before
-- redeliver-after); an event given up on is dead-lettered with a reason and no longer blocks or burdens the relay.
alter table outbox
    add column dead_at     timestamptz,
    add column dead_reason varchar(64);

drop index outbox_unconfirmed;
create index outbox_pending on outbox (id) where confirmed_at is null and dead_at is null;
