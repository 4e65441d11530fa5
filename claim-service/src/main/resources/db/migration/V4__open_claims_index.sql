-- The admission's outstanding-quota check reads an installer's unused, unexpired claims under the installer's lock.
-- No index covered it, so every claim request read the whole claims table, which only grows: 4 ms at 33,000 claims,
-- and every other claim of that installer waited meanwhile. Open claims are few (a claim is used within minutes or
-- expires), so a partial index over them keeps the check as cheap at a million claims as at ten.
create index claims_open on claims (installer, expires_at) where status in ('ISSUED', 'PENDING');
