-- One row per claim request. PENDING while CreateProvisioningClaim is in flight (it then counts towards quotas and
-- holds the idempotency key); certificate_id is set once AWS answered.
create table claims (
    id                    uuid         primary key,
    certificate_id        varchar(64)  unique,
    installer             varchar(256) not null,
    serial_number         varchar(128) not null,
    template_name         varchar(64)  not null,
    status                varchar(16)  not null check (status in ('PENDING', 'ISSUED', 'USED', 'EXPIRED', 'DENIED')),
    idempotency_key       varchar(128),
    requested_at          timestamptz  not null,
    issued_at             timestamptz,
    expires_at            timestamptz,
    used_at               timestamptz,
    device_certificate_id varchar(64),
    thing_name            varchar(128),
    deny_reason           varchar(64),
    -- The claim bundle, AES-GCM encrypted, kept only for Idempotency-Key retries and wiped when the claim is
    -- used, denied or expired.
    sealed_bundle         bytea,
    constraint claims_idempotency unique (installer, idempotency_key)
);

create index claims_installer_requested on claims (installer, requested_at);
create index claims_issued_expiry on claims (expires_at) where status = 'ISSUED';

-- Transactional outbox: written with the state change, relayed to MQTT, confirmed when the broker routes it back.
create table outbox (
    id           bigserial    primary key,
    event_id     uuid         not null unique,
    topic        varchar(256) not null,
    payload      text         not null,
    created_at   timestamptz  not null,
    sent_at      timestamptz,
    attempts     integer      not null default 0,
    confirmed_at timestamptz
);

create index outbox_unconfirmed on outbox (id) where confirmed_at is null;
