-- The W3C trace id of the installer's claim request. The pre-provisioning hook is another HTTP request, from AWS,
-- with no trace context of its own; it reads this so that its event, like every later event of the claim, carries the
-- claim's trace id, and one device's provisioning is one trace. Null for claims made before traces.
alter table claims add column trace_id varchar(32);
