package io.fleetprov.claims.service;

import io.fleetprov.claims.client.AwsRejectedException;
import io.fleetprov.claims.client.AwsUnavailableException;
import io.fleetprov.claims.client.CallLimitException;
import io.fleetprov.claims.client.IotClaimClient;
import io.fleetprov.claims.client.IssuedClaim;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.event.FleetEvents;
import io.fleetprov.claims.event.Traces;
import io.fleetprov.claims.store.ClaimRecord;
import io.fleetprov.claims.store.ClaimStatus;
import io.fleetprov.claims.store.ClaimStore;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Decides whether an installer gets a claim, gets it from AWS, and binds it to the serial number. Every state
 * change commits together with its event.
 */
@ApplicationScoped
public class ClaimService {

    private static final Logger LOG = Logger.getLogger(ClaimService.class);
    private static final Duration QUOTA_WINDOW = Duration.ofMinutes(1);
    private static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(1);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    /** AWS's bound on provisioning template names, whatever pattern is configured. */
    private static final int TEMPLATE_MAX_LENGTH = 36;

    private final ClaimStore store;
    private final IotClaimClient aws;
    private final FleetEvents events;
    private final BundleSealer sealer;
    private final Clock clock;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;
    private final Pattern serialPattern;
    private final Pattern templatePattern;
    /**
     * Claim requests in progress, from their first database statement until they are answered. Each holds at most
     * one pooled connection at a time, so the claim path never holds more connections than this, and the
     * pre-provisioning hook (and the background jobs) always find one; see {@code quarkus.datasource.jdbc.max-size}.
     */
    private final Semaphore inFlight;

    public ClaimService(
            ClaimStore store,
            IotClaimClient aws,
            FleetEvents events,
            BundleSealer sealer,
            Clock clock,
            ClaimServiceConfig config,
            MeterRegistry registry) {
        this.store = store;
        this.aws = aws;
        this.events = events;
        this.sealer = sealer;
        this.clock = clock;
        this.config = config;
        this.registry = registry;
        this.serialPattern = Pattern.compile(config.claims().serialPattern());
        this.templatePattern = Pattern.compile(config.claims().templatePattern());
        this.inFlight = new Semaphore(config.claims().maxInFlight());
        if (config.quota().claimsPerMinute() < 0 || config.quota().outstanding() < 0) {
            throw new IllegalArgumentException("fleetprov.quota.* must be 0 (no quota) or more");
        }
    }

    /**
     * An admitted claim request: its id, when it was asked for and whether its row is written yet ({@code held}:
     * PENDING until AWS answers); or a claim issued earlier for the same Idempotency-Key.
     */
    private record Reservation(UUID id, Instant requestedAt, boolean held, ClaimResponse replay) {}

    /**
     * Blocks: call it on a worker thread, which waits here for AWS too (no other thread is involved, so a claim
     * costs no thread hops beyond the answer waking it up). Beyond {@code fleetprov.claims.max-in-flight} requests
     * in progress the answer is at once a 503 with Retry-After, before any database work: overload is shed where it
     * is cheap, not queued in front of the connection pool the hook needs.
     */
    public ClaimResponse issue(
            Installer installer,
            String serialNumber,
            String requestedTemplate,
            boolean replace,
            String idempotencyKey) {
        if (!inFlight.tryAcquire()) {
            // No ClaimRefused event: writing one would be the very database work that is being shed.
            registry.counter("fleetprov.claims.refused", "reason", RefusalReason.SERVICE_BUSY.code())
                    .increment();
            throw new ClaimRefusedException(
                    RefusalReason.SERVICE_BUSY, "too many claims are being issued right now", BUSY_RETRY);
        }
        try {
            return admitted(installer, serialNumber, requestedTemplate, replace, idempotencyKey);
        } finally {
            inFlight.release();
        }
    }

    private ClaimResponse admitted(
            Installer installer,
            String serialNumber,
            String requestedTemplate,
            boolean replace,
            String idempotencyKey) {
        String template = requestedTemplate == null || requestedTemplate.isBlank()
                ? config.claims().defaultTemplate()
                : requestedTemplate;
        // Taken here, on the request's thread, where its server span is current: the hook and the sweeper read it
        // back from the claim's row.
        String traceId = Traces.currentTraceId();
        Reservation reservation;
        try {
            validate(serialNumber, template, idempotencyKey);
            authorizeTemplate(installer, template);
            if (replace && !mayReplace(installer)) {
                throw new ClaimRefusedException(
                        RefusalReason.REPLACE_FORBIDDEN, "your groups may not replace provisioned devices");
            }
            reservation = admit(installer, serialNumber, template, replace, idempotencyKey, traceId);
        } catch (ClaimRefusedException e) {
            throw refused(installer, serialNumber, template, e, traceId);
        }
        if (reservation.replay() != null) {
            return reservation.replay();
        }
        try {
            String endpoint = aws.iotEndpoint();
            IssuedClaim claim = aws.createProvisioningClaim(template);
            ClaimResponse bundle = new ClaimResponse(
                    claim.certificateId(),
                    claim.certificatePem(),
                    claim.privateKey(),
                    claim.publicKey(),
                    claim.expiration(),
                    template,
                    endpoint);
            return complete(reservation, installer, serialNumber, replace, idempotencyKey, bundle, traceId);
        } catch (ClaimRefusedException e) {
            throw e;
        } catch (RuntimeException failure) {
            ClaimRefusedException refusal = toRefusal(failure);
            if (reservation.held()) {
                QuarkusTransaction.requiringNew().run(() -> store.deletePending(reservation.id()));
            }
            throw refused(installer, serialNumber, template, refusal, traceId);
        }
    }

    public ClaimView view(Installer caller, String certificateId) {
        ClaimRecord claim = store.findByCertificateId(certificateId)
                .filter(c -> caller.isAdmin() || c.installer().equals(caller.subject()))
                .orElseThrow(() -> new ClaimNotFoundException(certificateId));
        return toView(claim, clock.instant());
    }

    private static ClaimView toView(ClaimRecord claim, Instant now) {
        return new ClaimView(
                claim.certificateId(),
                claim.statusAt(now),
                claim.serialNumber(),
                claim.templateName(),
                claim.issuedAt(),
                claim.expiresAt(),
                claim.usedAt(),
                claim.thingName(),
                claim.deviceCertificateId(),
                claim.installer());
    }

    /**
     * The caller's own claims, newest first, {@code limit} at a time; {@code cursor} is a previous page's
     * {@code nextCursor}. Admins too see only their own here.
     */
    public ClaimPage listMine(Installer caller, String cursor, int limit) {
        ClaimCursor after = cursor == null || cursor.isEmpty() ? null : ClaimCursor.decode(cursor);
        // One row more than asked tells whether another page follows without a count query.
        List<ClaimRecord> rows = store.pageOfInstaller(
                caller.subject(),
                after == null ? null : after.requestedAt(),
                after == null ? null : after.id(),
                limit + 1);
        boolean more = rows.size() > limit;
        List<ClaimRecord> page = more ? rows.subList(0, limit) : rows;
        Instant now = clock.instant();
        List<ClaimView> items = page.stream().map(c -> toView(c, now)).toList();
        String next = more
                ? new ClaimCursor(
                                page.get(limit - 1).requestedAt(),
                                page.get(limit - 1).id())
                        .encode()
                : null;
        return new ClaimPage(items, next);
    }

    private void validate(String serialNumber, String template, String idempotencyKey) {
        int min = config.claims().serialMinLength();
        int max = config.claims().serialMaxLength();
        if (serialNumber == null || serialNumber.length() < min || serialNumber.length() > max) {
            throw new ClaimRefusedException(
                    RefusalReason.INVALID_INPUT, "serialNumber must be " + min + " to " + max + " characters long");
        }
        if (!serialPattern.matcher(serialNumber).matches()) {
            throw new ClaimRefusedException(
                    RefusalReason.INVALID_INPUT, "serialNumber must match " + serialPattern.pattern());
        }
        if (!validTemplate(template)) {
            throw new ClaimRefusedException(
                    RefusalReason.INVALID_INPUT, "templateName must match " + templatePattern.pattern());
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 128)) {
            throw new ClaimRefusedException(
                    RefusalReason.INVALID_INPUT, "Idempotency-Key must be 1 to 128 characters long");
        }
    }

    private boolean validTemplate(String template) {
        // The length is checked first so the pattern never runs over a hostile, huge value.
        return template != null
                && template.length() <= TEMPLATE_MAX_LENGTH
                && templatePattern.matcher(template).matches();
    }

    private boolean mayReplace(Installer installer) {
        return config.claims().replacerGroups().stream().anyMatch(installer.groups()::contains);
    }

    private void authorizeTemplate(Installer installer, String template) {
        boolean allowed = installer.groups().stream()
                .map(group -> config.claims().templatesByGroup().getOrDefault(group, List.of()))
                .anyMatch(templates -> templates.contains(template));
        if (!allowed) {
            throw new ClaimRefusedException(
                    RefusalReason.FORBIDDEN_TEMPLATE, "template " + template + " is not allowed for your groups");
        }
    }

    private Reservation admit(
            Installer installer,
            String serialNumber,
            String template,
            boolean replace,
            String idempotencyKey,
            String traceId) {
        Instant now = clock.instant();
        int perMinute = config.quota().claimsPerMinute();
        int outstanding = config.quota().outstanding();
        if (idempotencyKey != null || perMinute > 0 || outstanding > 0) {
            return QuarkusTransaction.requiringNew()
                    .call(() -> reserve(installer, serialNumber, template, replace, idempotencyKey, traceId, now));
        }
        // Nothing needs a row before AWS answers: no quota counts the claims in flight, no key is held, and no lock
        // is taken (it only makes quota decisions atomic, and an installer that provisions a whole fleet is not
        // serialised on it). The row is written once, ISSUED, when the claim is: a transaction and a statement fewer
        // per claim, and no update of a row inserted a moment before (every update of a claim enters all of the
        // table's indexes again).
        check(store.admission(serialNumber, installer.subject(), now.minus(QUOTA_WINDOW), 0, now, 0), replace, now);
        return new Reservation(UUID.randomUUID(), now, false, null);
    }

    /** Holds the claim's row, PENDING, for the quotas that count claims in flight and the Idempotency-Key. */
    private Reservation reserve(
            Installer installer,
            String serialNumber,
            String template,
            boolean replace,
            String idempotencyKey,
            String traceId,
            Instant now) {
        int perMinute = config.quota().claimsPerMinute();
        int outstanding = config.quota().outstanding();
        ClaimStore.Admission admission;
        if (idempotencyKey != null) {
            store.lockInstaller(installer.subject());
            var earlier = store.findByIdempotencyKey(installer.subject(), idempotencyKey);
            if (earlier.isPresent()) {
                return new Reservation(
                        earlier.get().id(), now, true, replay(earlier.get(), serialNumber, template, now));
            }
            admission = store.admission(
                    serialNumber, installer.subject(), now.minus(QUOTA_WINDOW), perMinute, now, outstanding);
        } else {
            // Without a key there is nothing to look up between the lock and the admission: one round trip.
            admission = store.lockInstallerAndAdmit(
                    serialNumber, installer.subject(), now.minus(QUOTA_WINDOW), perMinute, now, outstanding);
        }
        check(admission, replace, now);
        UUID id = UUID.randomUUID();
        store.insertPending(id, installer.subject(), serialNumber, template, replace, idempotencyKey, now, traceId);
        return new Reservation(id, now, true, null);
    }

    private void check(ClaimStore.Admission admission, boolean replace, Instant now) {
        int perMinute = config.quota().claimsPerMinute();
        int outstanding = config.quota().outstanding();
        if (!replace && admission.provisioned()) {
            throw new ClaimRefusedException(
                    RefusalReason.ALREADY_PROVISIONED,
                    "a device is already provisioned under this serial number; a replacement must be asked for");
        }
        if (admission.rateFullUntil() != null) {
            throw new ClaimRefusedException(
                    RefusalReason.QUOTA,
                    "at most " + perMinute + " claims per minute",
                    atLeastOneSecond(
                            Duration.between(now, admission.rateFullUntil().plus(QUOTA_WINDOW))));
        }
        if (admission.outstandingFullUntil() != null) {
            throw new ClaimRefusedException(
                    RefusalReason.QUOTA,
                    "at most " + outstanding + " unused, unexpired claims at once",
                    atLeastOneSecond(Duration.between(now, admission.outstandingFullUntil())));
        }
    }

    private ClaimResponse replay(ClaimRecord earlier, String serialNumber, String template, Instant now) {
        if (!earlier.serialNumber().equals(serialNumber)
                || !earlier.templateName().equals(template)) {
            throw new IdempotencyConflictException(
                    "this Idempotency-Key was used for a request with another serial number or template", null);
        }
        if (earlier.status() == ClaimStatus.PENDING) {
            throw new IdempotencyConflictException(
                    "a request with this Idempotency-Key is in progress", IN_FLIGHT_RETRY);
        }
        if (earlier.statusAt(now) != ClaimStatus.ISSUED || earlier.sealedBundle() == null) {
            throw new IdempotencyConflictException(
                    "the claim of this Idempotency-Key is "
                            + earlier.statusAt(now).name().toLowerCase() + "; use a new key for a new claim",
                    null);
        }
        return sealer.open(earlier.id(), earlier.sealedBundle())
                .orElseThrow(() -> new IdempotencyConflictException(
                        "the claim of this Idempotency-Key can no longer be returned; use a new key", null));
    }

    private ClaimResponse complete(
            Reservation reservation,
            Installer installer,
            String serialNumber,
            boolean replace,
            String idempotencyKey,
            ClaimResponse bundle,
            String traceId) {
        UUID id = reservation.id();
        QuarkusTransaction.requiringNew().run(() -> {
            if (reservation.held()) {
                store.markIssued(
                        id,
                        bundle.certificateId(),
                        clock.instant(),
                        bundle.expiresAt(),
                        idempotencyKey == null ? null : sealer.seal(id, bundle));
            } else {
                store.insertIssued(
                        id,
                        installer.subject(),
                        serialNumber,
                        bundle.templateName(),
                        replace,
                        reservation.requestedAt(),
                        traceId,
                        bundle.certificateId(),
                        clock.instant(),
                        bundle.expiresAt());
            }
            events.claimIssued(
                    installer.subject(), serialNumber, bundle.templateName(), bundle.certificateId(), traceId);
        });
        registry.counter("fleetprov.claims.issued", "template", bundle.templateName())
                .increment();
        LOG.infof("claim %s issued to %s for serial %s", bundle.certificateId(), installer.subject(), serialNumber);
        return bundle;
    }

    private ClaimRefusedException toRefusal(Throwable failure) {
        if (failure instanceof AwsUnavailableException) {
            return new ClaimRefusedException(
                    RefusalReason.AWS_UNAVAILABLE,
                    "AWS IoT is unavailable; try again later",
                    config.aws().retryAfter());
        }
        if (failure instanceof CallLimitException limit) {
            return new ClaimRefusedException(
                    RefusalReason.SERVICE_BUSY,
                    "too many claims are being issued right now",
                    atLeastOneSecond(limit.retryAfter()));
        }
        if (failure instanceof AwsRejectedException e) {
            LOG.errorf("AWS IoT refused CreateProvisioningClaim: %s", e.errorCode());
            return new ClaimRefusedException(RefusalReason.AWS_REJECTED, "AWS IoT refused the claim: " + e.errorCode());
        }
        LOG.error("claim issuance failed", failure);
        return new ClaimRefusedException(
                RefusalReason.AWS_UNAVAILABLE,
                "the claim could not be issued",
                config.aws().retryAfter());
    }

    private ClaimRefusedException refused(
            Installer installer, String serialNumber, String template, ClaimRefusedException refusal, String traceId) {
        try {
            // An invalid serial number or template name is whatever the caller sent: it stays out of the event.
            String serial = refusal.reason() == RefusalReason.INVALID_INPUT ? null : serialNumber;
            String templateName = validTemplate(template) ? template : null;
            QuarkusTransaction.requiringNew()
                    .run(() -> events.claimRefused(
                            installer.subject(),
                            serial,
                            templateName,
                            refusal.reason().code(),
                            traceId));
        } catch (RuntimeException e) {
            LOG.warnf("ClaimRefused event not recorded: %s", e.getMessage());
        }
        registry.counter("fleetprov.claims.refused", "reason", refusal.reason().code())
                .increment();
        return refusal;
    }

    private static Duration atLeastOneSecond(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }
}
