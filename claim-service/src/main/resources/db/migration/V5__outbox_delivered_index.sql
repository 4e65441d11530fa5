-- Delivered events are deleted after fleetprov.events.retention (OutboxPruning); this finds them without reading
-- the events still retained.
create index outbox_delivered on outbox (confirmed_at) where confirmed_at is not null;
