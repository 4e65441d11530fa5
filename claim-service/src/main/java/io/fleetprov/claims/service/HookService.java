package io.fleetprov.claims.service;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.event.FleetEvents;
import io.fleetprov.claims.event.Traces;
import io.fleetprov.claims.store.ClaimRecord;
import io.fleetprov.claims.store.ClaimStatus;
import io.fleetprov.claims.store.ClaimStore;
import io.fleetprov.protocol.event.Outcome;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The pre-provisioning hook's decision: a claim provisions only the device it was issued for, only once, only
 * before it expires, and only if no other device holds the serial number unless it was issued as a replacement.
 * The claim's row is locked first, so concurrent hooks for one claim decide one after the other and allow exactly
 * one; a lock per serial number keeps two claims of one serial from both provisioning.
 */
@ApplicationScoped
public class HookService {

    private static final Logger LOG = Logger.getLogger(HookService.class);

    static final String ALLOWED = "claim-bound-serial-matches";
    static final String ALREADY_PROVISIONED = "already-provisioned";
    static final String INVALID_PARAMETERS = "invalid-parameters";

    /** AWS's bounds on thing names and certificate ids; the claims table holds no more. */
    private static final int MAX_THING_NAME = 128;

    private static final int MAX_CERTIFICATE_ID = 64;

    private final ClaimStore store;
    private final FleetEvents events;
    private final Clock clock;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;

    public HookService(
            ClaimStore store, FleetEvents events, Clock clock, ClaimServiceConfig config, MeterRegistry registry) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.registry = registry;
    }

    public HookDecision decide(PreProvisioningHookRequest request) {
        String serial = request.parameters().get(config.claims().serialParameter());
        String thingName = request.parameters().get(config.claims().thingNameParameter());
        String template = templateName(request.templateArn());
        HookDecision decision = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            Optional<ClaimRecord> claim = request.claimCertificateId() == null
                    ? Optional.empty()
                    : store.lockByCertificateId(request.claimCertificateId());
            HookDecision d;
            if (claim.isEmpty()) {
                d = new HookDecision(false, "unknown-claim");
            } else if (tooLong(serial, MAX_THING_NAME)
                    || tooLong(thingName, MAX_THING_NAME)
                    || tooLong(request.certificateId(), MAX_CERTIFICATE_ID)) {
                // No device AWS provisions sends these: the claim is in hands it was not meant for.
                store.deny(claim.get(), INVALID_PARAMETERS, null);
                d = new HookDecision(false, INVALID_PARAMETERS);
            } else if (serial != null && anotherDeviceHolds(claim.get(), serial)) {
                // A second claim for a provisioned serial would clone the device: burnt like a misused claim.
                store.deny(claim.get(), ALREADY_PROVISIONED, request.certificateId());
                d = new HookDecision(false, ALREADY_PROVISIONED);
            } else if (serial != null
                    && store.use(claim.get(), serial, template, request.certificateId(), thingName, now)) {
                d = new HookDecision(true, ALLOWED);
            } else {
                // Unchanged since it was locked: use() declined it.
                d = whyNot(claim.get(), serial, template, request.certificateId(), now);
            }
            ClaimRecord c = claim.orElse(null);
            // AWS calls the hook without trace context: the decision joins the trace of the claim it decides on. An
            // unknown claim (or one from before traces) has none; the decision then stays in the hook's own trace.
            String claimTrace = c != null && c.traceId() != null ? c.traceId() : Traces.currentTraceId();
            Traces.linkToClaim(claimTrace);
            events.hookDecision(
                    c == null ? null : c.installer(),
                    serial,
                    template,
                    request.claimCertificateId(),
                    request.certificateId(),
                    d.allowed() ? thingName : null,
                    d.allowed(),
                    d.reason(),
                    claimTrace);
            return d;
        });
        registry.counter(
                        "fleetprov.hook.decisions",
                        "outcome",
                        (decision.allowed() ? Outcome.ALLOW : Outcome.DENY).wire(),
                        "reason",
                        decision.reason())
                .increment();
        LOG.infof(
                "hook %s claim %s for serial %s: %s",
                decision.allowed() ? "allowed" : "denied", request.claimCertificateId(), serial, decision.reason());
        return decision;
    }

    /**
     * Whether another claim already provisioned a device under this serial and this claim is no replacement. Holds
     * the serial's lock until the transaction ends, so of two claims for one serial only one can provision.
     */
    private boolean anotherDeviceHolds(ClaimRecord claim, String serial) {
        if (claim.replacesDevice()) {
            store.lockSerial(serial);
            return false;
        }
        return store.lockSerialAndCheckProvisionedOtherThan(serial, claim.certificateId());
    }

    private static boolean tooLong(String value, int max) {
        return value != null && value.length() > max;
    }

    /** The claim exists but use() declined it: say why, and burn a claim misused while valid. */
    private HookDecision whyNot(
            ClaimRecord claim, String serial, String template, String deviceCertificateId, Instant now) {
        ClaimStatus status = claim.statusAt(now);
        switch (status) {
            case USED:
                return new HookDecision(false, "claim-already-used");
            case EXPIRED:
                return new HookDecision(false, "claim-expired");
            case DENIED:
                return new HookDecision(false, "claim-denied");
            case PENDING:
                return new HookDecision(false, "unknown-claim");
            default:
                String reason = !claim.serialNumber().equals(serial) ? "serial-mismatch" : "template-mismatch";
                store.deny(claim, reason, deviceCertificateId);
                return new HookDecision(false, reason);
        }
    }

    /** {@code arn:aws:iot:region:account:provisioningtemplate/NAME} → NAME. */
    static String templateName(String templateArn) {
        if (templateArn == null) {
            return null;
        }
        int slash = templateArn.lastIndexOf('/');
        return slash < 0 ? templateArn : templateArn.substring(slash + 1);
    }
}
