package io.fleetprov.claims.service;

import io.fleetprov.claims.client.IotThingClient;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.event.FleetEvents;
import io.fleetprov.claims.store.ClaimRecord;
import io.fleetprov.claims.store.ClaimStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Retires the old device once its replacement has registered. The hook only learns that provisioning may go ahead
 * (it sees the new certificate id and the thing's name, the serial number); AWS registers the thing after the hook
 * answered, and may still fail to. So the old certificates are touched only when the new certificate is seen
 * attached to the thing (ListThingPrincipals): then every other certificate of that thing is set INACTIVE and
 * detached, one {@code DeviceReplaced} event each. A replacement that has not registered within
 * {@code fleetprov.claims.replacement-timeout} leaves the old device as it is.
 *
 * <p>Claims are taken with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work without doing it twice; the
 * IoT calls are idempotent, so a claim whose retirement failed half-way is simply taken again by the next run.
 */
@ApplicationScoped
public class DeviceReplacements {

    private static final Logger LOG = Logger.getLogger(DeviceReplacements.class);
    /** Claims looked at per run at most. */
    private static final int BATCH = 20;

    static final String REPLACED = "replaced";
    static final String NOTHING_TO_REPLACE = "nothing-to-replace";
    static final String NOT_REGISTERED = "not-registered";

    private final ClaimStore store;
    private final IotThingClient iot;
    private final FleetEvents events;
    private final Clock clock;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;

    public DeviceReplacements(
            ClaimStore store,
            IotThingClient iot,
            FleetEvents events,
            Clock clock,
            ClaimServiceConfig config,
            MeterRegistry registry) {
        this.store = store;
        this.iot = iot;
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(
            every = "${fleetprov.claims.replacement-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void run() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < BATCH; i++) {
            try {
                // One claim per transaction: its row stays locked while the old device is retired, and a failure
                // leaves the other claims' work committed.
                boolean more = QuarkusTransaction.requiringNew().timeout(60).call(() -> {
                    Optional<ClaimRecord> next = store.nextReplacementDue(seen);
                    next.ifPresent(claim -> {
                        seen.add(claim.id());
                        complete(claim);
                    });
                    return next.isPresent();
                });
                if (!more) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf("device replacement paused: %s", e.getMessage());
            }
        }
    }

    private void complete(ClaimRecord claim) {
        Instant now = clock.instant();
        String thing = claim.thingName();
        List<String> principals = thing == null ? List.of() : iot.principals(thing);
        // A hook call without a certificate id leaves nothing to recognise the new device by: it times out.
        boolean registered = claim.deviceCertificateId() != null
                && principals.stream()
                        .anyMatch(p -> claim.deviceCertificateId().equals(IotThingClient.certificateId(p)));
        if (!registered) {
            if (claim.usedAt().plus(config.claims().replacementTimeout()).isBefore(now)) {
                store.markReplacement(claim.id(), NOT_REGISTERED, now);
                count(NOT_REGISTERED);
                LOG.warnf(
                        "replacement claim %s: the new device never registered to %s; the old one is left active",
                        claim.certificateId(), thing);
            }
            return;
        }
        int retired = 0;
        for (String principal : principals) {
            String certificateId = IotThingClient.certificateId(principal);
            if (certificateId == null || certificateId.equals(claim.deviceCertificateId())) {
                continue;
            }
            iot.deactivate(certificateId);
            iot.detach(thing, principal);
            // Committed at once: a retired certificate is no longer among the thing's principals, so a retry of
            // this claim after a later failure would not find it again to report it.
            QuarkusTransaction.requiringNew()
                    .run(() -> events.deviceReplaced(
                            claim.installer(),
                            claim.serialNumber(),
                            claim.templateName(),
                            claim.certificateId(),
                            claim.deviceCertificateId(),
                            thing,
                            certificateId,
                            claim.traceId()));
            retired++;
            LOG.infof(
                    "thing %s: certificate %s retired, replaced by %s",
                    thing, certificateId, claim.deviceCertificateId());
        }
        String outcome = retired > 0 ? REPLACED : NOTHING_TO_REPLACE;
        store.markReplacement(claim.id(), outcome, now);
        count(outcome);
    }

    private void count(String outcome) {
        registry.counter("fleetprov.devices.replacements", "outcome", outcome).increment();
    }
}
