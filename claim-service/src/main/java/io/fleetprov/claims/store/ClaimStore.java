package io.fleetprov.claims.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The claims table. Every method joins the caller's transaction; the decisions that must be atomic are single
 * conditional statements or a row locked before it is read ({@code for update}), so PostgreSQL's row locks settle
 * races.
 */
@ApplicationScoped
public class ClaimStore {

    private static final String COLUMNS = "id, certificate_id, installer, serial_number, template_name, status, "
            + "idempotency_key, requested_at, issued_at, expires_at, used_at, device_certificate_id, thing_name, "
            + "deny_reason, sealed_bundle, replaces_device, trace_id";

    private static final String LOCK_INSTALLER = "select pg_advisory_xact_lock(hashtextextended(?, 0))";

    private static final String PROVISIONED =
            "exists (select 1 from claims where serial_number = ? and status = 'USED')";

    private static final String RATE_FULL_UNTIL = "(select requested_at from claims where installer = ? "
            + "and requested_at > ? order by requested_at desc offset ? limit 1)";

    private static final String OUTSTANDING_FULL_UNTIL = "(select coalesce(expires_at, ?) from claims where "
            + "installer = ? and ((status = 'ISSUED' and expires_at > ?) or status = 'PENDING') "
            + "order by 1 desc offset ? limit 1)";

    private static final String NO_QUOTA = "null::timestamptz";

    private static final String LOCK_SERIAL = "select pg_advisory_xact_lock(1, hashtext(?))";

    private static final String PROVISIONED_OTHER_THAN =
            "select exists (select 1 from claims where serial_number = ? and status = 'USED' "
                    + "and certificate_id is distinct from ?)";

    private final DataSource dataSource;

    public ClaimStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Serialises quota decisions of one installer until the transaction ends. */
    public void lockInstaller(String installer) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(LOCK_INSTALLER)) {
            ps.setString(1, installer);
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Serialises hook decisions for one serial number until the transaction ends, so two claims of one serial can
     * never both provision. The two-key form keeps these locks apart from {@link #lockInstaller}'s.
     */
    public void lockSerial(String serialNumber) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(LOCK_SERIAL)) {
            ps.setString(1, serialNumber);
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Whether a claim other than {@code certificateId} provisioned a device under this serial number. */
    public boolean provisionedOtherThan(String serialNumber, String certificateId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, PROVISIONED_OTHER_THAN, serialNumber, certificateId);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * {@link #lockSerial} then {@link #provisionedOtherThan}, in one round trip: the statements run one after the
     * other, so the check's snapshot (one per statement in read committed) is taken once the lock is held.
     */
    public boolean lockSerialAndCheckProvisionedOtherThan(String serialNumber, String certificateId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(
                        c, LOCK_SERIAL + "; " + PROVISIONED_OTHER_THAN, serialNumber, serialNumber, certificateId)) {
            if (!ps.execute() || !ps.getMoreResults()) {
                throw new SQLException("the provisioned check returned no rows");
            }
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * The oldest replacement claim that provisioned and whose old device is not retired yet, other than
     * {@code skip}; locked until the transaction ends and skipped by other replicas meanwhile.
     */
    public Optional<ClaimRecord> nextReplacementDue(Collection<UUID> skip) {
        String sql = "select " + COLUMNS + " from claims where status = 'USED' and replaces_device "
                + "and replaced_at is null and not (id = any (?)) order by used_at limit 1 for update skip locked";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", skip.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                List<ClaimRecord> rows = records(rs);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public void markReplacement(UUID id, String outcome, Instant now) {
        update("update claims set replaced_at = ?, replacement_outcome = ? where id = ?", now, outcome, id);
    }

    /**
     * One page of an installer's issued claims, newest first: those requested before {@code before} (or, at the same
     * instant, with a smaller id), so pages stay stable while new claims arrive. Claims still in flight are left
     * out. The installer condition is part of every page's query: a cursor never leads to another's claims.
     */
    public List<ClaimRecord> pageOfInstaller(String installer, Instant before, UUID beforeId, int limit) {
        if (before == null) {
            return query(
                    "select " + COLUMNS + " from claims where installer = ? and status <> 'PENDING' "
                            + "order by requested_at desc, id desc limit ?",
                    installer,
                    limit);
        }
        return query(
                "select " + COLUMNS + " from claims where installer = ? and status <> 'PENDING' "
                        + "and (requested_at, id) < (?, ?) order by requested_at desc, id desc limit ?",
                installer,
                before,
                beforeId,
                limit);
    }

    public Optional<ClaimRecord> findByIdempotencyKey(String installer, String key) {
        return queryOne(
                "select " + COLUMNS + " from claims where installer = ? and idempotency_key = ?", installer, key);
    }

    public Optional<ClaimRecord> findByCertificateId(String certificateId) {
        return queryOne("select " + COLUMNS + " from claims where certificate_id = ?", certificateId);
    }

    /**
     * What a claim request's admission depends on, read in one round trip (under {@link #lockInstaller}, in its
     * transaction): whether the serial number provisioned a device, and for each quota the instant its oldest
     * counted claim leaves it, or null while the installer is under it. Of the installer's {@code n} requests since
     * {@code since} (issued or in flight), the one whose leaving brings the count under {@code perMinute} is the
     * {@code perMinute}-th newest; likewise for the {@code outstanding} claims issued, unused and unexpired (or still
     * in flight, counted until {@code now}) by their expiry. PostgreSQL reads up to a quota's size of rows to find
     * that one (the window's requests on the installer's index, the open claims on {@code claims_open}), so a quota
     * of 0, no quota, reads none: a very large one would read the whole window on every request.
     */
    public Admission admission(
            String serialNumber, String installer, Instant since, int perMinute, Instant now, int outstanding) {
        AdmissionQuery query = AdmissionQuery.of(serialNumber, installer, since, perMinute, now, outstanding);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, query.sql(), query.args());
                ResultSet rs = ps.executeQuery()) {
            return admission(rs);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * {@link #lockInstaller} then {@link #admission}, in one round trip: both statements go to PostgreSQL together
     * and run one after the other, so the admission's snapshot is taken once the lock is held (read committed takes
     * one per statement) and sees every claim of the installer that an earlier holder of the lock committed.
     */
    public Admission lockInstallerAndAdmit(
            String serialNumber, String installer, Instant since, int perMinute, Instant now, int outstanding) {
        AdmissionQuery query = AdmissionQuery.of(serialNumber, installer, since, perMinute, now, outstanding);
        Object[] args = new Object[query.args().length + 1];
        args[0] = installer;
        System.arraycopy(query.args(), 0, args, 1, query.args().length);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, LOCK_INSTALLER + "; " + query.sql(), args)) {
            if (!ps.execute() || !ps.getMoreResults()) {
                throw new SQLException("the admission query returned no rows");
            }
            try (ResultSet rs = ps.getResultSet()) {
                return admission(rs);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The admission's statement and its arguments; a quota of 0 is none and reads nothing. */
    record AdmissionQuery(String sql, Object[] args) {

        static AdmissionQuery of(
                String serialNumber, String installer, Instant since, int perMinute, Instant now, int outstanding) {
            List<Object> args = new ArrayList<>(List.of(serialNumber));
            String rate = NO_QUOTA;
            if (perMinute > 0) {
                rate = RATE_FULL_UNTIL;
                args.addAll(List.of(installer, since, perMinute - 1));
            }
            String open = NO_QUOTA;
            if (outstanding > 0) {
                open = OUTSTANDING_FULL_UNTIL;
                args.addAll(List.of(now, installer, now, outstanding - 1));
            }
            return new AdmissionQuery("select " + PROVISIONED + ", " + rate + ", " + open, args.toArray());
        }
    }

    private static Admission admission(ResultSet rs) throws SQLException {
        rs.next();
        return new Admission(rs.getBoolean(1), instant(rs, 2), instant(rs, 3));
    }

    /**
     * {@code rateFullUntil} + the quota window is when the per-minute quota frees a place, {@code outstandingFullUntil}
     * when the outstanding quota does; null while there is room.
     */
    public record Admission(boolean provisioned, Instant rateFullUntil, Instant outstandingFullUntil) {}

    public void insertPending(
            UUID id,
            String installer,
            String serialNumber,
            String templateName,
            boolean replacesDevice,
            String idempotencyKey,
            Instant now,
            String traceId) {
        update(
                "insert into claims (id, installer, serial_number, template_name, replaces_device, status, "
                        + "idempotency_key, requested_at, trace_id) values (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)",
                id,
                installer,
                serialNumber,
                templateName,
                replacesDevice,
                idempotencyKey,
                now,
                traceId);
    }

    /** A claim issued with no row held for it while AWS answered (no quota, no Idempotency-Key): written once. */
    public void insertIssued(
            UUID id,
            String installer,
            String serialNumber,
            String templateName,
            boolean replacesDevice,
            Instant requestedAt,
            String traceId,
            String certificateId,
            Instant issuedAt,
            Instant expiresAt) {
        update(
                "insert into claims (id, installer, serial_number, template_name, replaces_device, status, "
                        + "requested_at, trace_id, certificate_id, issued_at, expires_at) "
                        + "values (?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?, ?, ?)",
                id,
                installer,
                serialNumber,
                templateName,
                replacesDevice,
                requestedAt,
                traceId,
                certificateId,
                issuedAt,
                expiresAt);
    }

    public void markIssued(UUID id, String certificateId, Instant issuedAt, Instant expiresAt, byte[] sealedBundle) {
        update(
                "update claims set status = 'ISSUED', certificate_id = ?, issued_at = ?, expires_at = ?, "
                        + "sealed_bundle = ? where id = ? and status = 'PENDING'",
                certificateId,
                issuedAt,
                expiresAt,
                sealedBundle,
                id);
    }

    public void deletePending(UUID id) {
        update("delete from claims where id = ? and status = 'PENDING'", id);
    }

    /** Removes in-flight rows a crash left behind, so they stop counting against quotas. */
    public int deletePendingOlderThan(Instant cutoff) {
        return update("delete from claims where status = 'PENDING' and requested_at < ?", cutoff);
    }

    /**
     * The claim with this certificate id, locked until the transaction ends: the hook decides on it with no other
     * hook of the claim in between. Found by the unique index alone, its status checked by the caller: an update
     * "where certificate_id = ? and status = 'ISSUED'" let PostgreSQL choose a partial index of open claims (their
     * predicate follows from the status; statistics taken while few claims were open make it look empty) and read
     * every open claim on each hook, 450 of them at 60 devices a second (ClaimStoreReadsTest).
     */
    public Optional<ClaimRecord> lockByCertificateId(String certificateId) {
        return queryOne("select " + COLUMNS + " from claims where certificate_id = ? for update", certificateId);
    }

    /**
     * Marks the claim USED if, and only if, it is ISSUED, unexpired and bound to this serial and template.
     * {@code locked} is the claim as {@link #lockByCertificateId} read it in this transaction: of two hooks for one
     * claim the second waits for the first's lock and then reads it USED.
     */
    public boolean use(
            ClaimRecord locked,
            String serialNumber,
            String templateName,
            String deviceCertificateId,
            String thingName,
            Instant now) {
        if (locked.statusAt(now) != ClaimStatus.ISSUED
                || !locked.serialNumber().equals(serialNumber)
                || !locked.templateName().equals(templateName)) {
            return false;
        }
        update(
                "update claims set status = 'USED', used_at = ?, device_certificate_id = ?, thing_name = ?, "
                        + "sealed_bundle = null where id = ?",
                now,
                deviceCertificateId,
                thingName,
                locked.id());
        return true;
    }

    /**
     * An ISSUED claim presented for the wrong device is burnt: it was handed to someone it was not meant for.
     * {@code locked} as for {@link #use}.
     */
    public boolean deny(ClaimRecord locked, String reason, String deviceCertificateId) {
        if (locked.status() != ClaimStatus.ISSUED) {
            return false;
        }
        update(
                "update claims set status = 'DENIED', deny_reason = ?, device_certificate_id = ?, "
                        + "sealed_bundle = null where id = ?",
                reason,
                deviceCertificateId,
                locked.id());
        return true;
    }

    /** Marks every ISSUED claim whose expiry has passed EXPIRED and returns them. */
    public List<ClaimRecord> expireDue(Instant now, int limit) {
        return query(
                "update claims set status = 'EXPIRED', sealed_bundle = null where id in ("
                        + "select id from claims where status = 'ISSUED' and expires_at <= ? order by expires_at limit ? "
                        + "for update skip locked) returning " + COLUMNS,
                now,
                limit);
    }

    private Optional<ClaimRecord> queryOne(String sql, Object... args) {
        List<ClaimRecord> rows = query(sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<ClaimRecord> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            return records(rs);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static List<ClaimRecord> records(ResultSet rs) throws SQLException {
        List<ClaimRecord> rows = new ArrayList<>();
        while (rs.next()) {
            rows.add(new ClaimRecord(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    ClaimStatus.valueOf(rs.getString(6)),
                    rs.getString(7),
                    instant(rs, 8),
                    instant(rs, 9),
                    instant(rs, 10),
                    instant(rs, 11),
                    rs.getString(12),
                    rs.getString(13),
                    rs.getString(14),
                    rs.getBytes(15),
                    rs.getBoolean(16),
                    rs.getString(17)));
        }
        return rows;
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            ps.setObject(i + 1, arg instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : arg);
        }
        return ps;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
