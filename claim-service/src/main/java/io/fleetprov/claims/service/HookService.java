package io.fleetprov.claims.service;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.event.FleetEvents;
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
 * before it expires. The decision is one conditional UPDATE, so concurrent hooks for one claim allow exactly one.
 */
@ApplicationScoped
public class HookService {

    private static final Logger LOG = Logger.getLogger(HookService.class);

    static final String ALLOWED = "claim-bound-serial-matches";

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
                    : store.findByCertificateId(request.claimCertificateId());
            HookDecision d;
            if (claim.isEmpty()) {
                d = new HookDecision(false, "unknown-claim");
            } else if (serial != null
                    && store.use(
                            request.claimCertificateId(), serial, template, request.certificateId(), thingName, now)) {
                d = new HookDecision(true, ALLOWED);
            } else {
                d = whyNot(
                        store.findByCertificateId(request.claimCertificateId()).orElseThrow(),
                        serial,
                        template,
                        request.certificateId(),
                        now);
            }
            ClaimRecord c = claim.orElse(null);
            events.hookDecision(
                    c == null ? null : c.installer(),
                    serial,
                    template,
                    request.claimCertificateId(),
                    request.certificateId(),
                    d.allowed() ? thingName : null,
                    d.allowed(),
                    d.reason());
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

    /** The claim exists but the conditional update did not match: say why, and burn a claim misused while valid. */
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
                store.deny(claim.certificateId(), reason, deviceCertificateId);
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
