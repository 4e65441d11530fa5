package io.fleetprov.emulator.provisioning;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.CsrValidator;
import io.fleetprov.emulator.ca.InvalidCsrException;
import io.fleetprov.emulator.ca.KeyPairPool;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.registry.RegistryException;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.emulator.template.OverrideAction;
import io.fleetprov.emulator.template.PolicySpec;
import io.fleetprov.emulator.template.ProvisioningPlan;
import io.fleetprov.emulator.template.TemplateEngine;
import io.fleetprov.emulator.template.TemplateException;
import io.fleetprov.emulator.template.ThingProperty;
import io.fleetprov.emulator.template.ThingSpec;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import io.fleetprov.protocol.model.CreateCertificateFromCsrRequest;
import io.fleetprov.protocol.model.CreateCertificateFromCsrResponse;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet-provisioning API's decisions, independent of MQTT: CreateProvisioningClaim, CreateKeysAndCertificate,
 * CreateCertificateFromCsr and RegisterThing. Every refusal is a {@link FleetProvisioningException} carrying the
 * payload AWS would publish on the {@code /rejected} topic.
 */
public final class FleetProvisioningService {

    /** The name AWS gives the certificates it issues. */
    static final String CERTIFICATE_COMMON_NAME = "AWS IoT Certificate";
    /** AWS-issued device certificates are valid until the end of 2049. */
    static final Instant DEVICE_CERTIFICATE_NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");

    private static final Logger LOG = LoggerFactory.getLogger(FleetProvisioningService.class);

    private final Registry registry;
    private final CertificateAuthority ca;
    private final KeyPairPool keys;
    private final TemplateEngine templateEngine;
    private final OwnershipTokens tokens;
    private final PreProvisioningHookClient hooks;
    private final ApiThrottle throttle;
    private final Clock clock;
    private final Duration claimLifetime;
    private volatile Duration hookTimeout;

    public FleetProvisioningService(
            Registry registry,
            CertificateAuthority ca,
            KeyPairPool keys,
            TemplateEngine templateEngine,
            OwnershipTokens tokens,
            PreProvisioningHookClient hooks,
            ApiThrottle throttle,
            Clock clock,
            Duration claimLifetime,
            Duration hookTimeout) {
        this.registry = registry;
        this.ca = ca;
        this.keys = keys;
        this.templateEngine = templateEngine;
        this.tokens = tokens;
        this.hooks = hooks;
        this.throttle = throttle;
        this.clock = clock;
        this.claimLifetime = claimLifetime;
        this.hookTimeout = hookTimeout;
    }

    /** Changes the deadline given to pre-provisioning hooks (AWS: 5 s); used by fault injection. */
    public void setHookTimeout(Duration hookTimeout) {
        this.hookTimeout = hookTimeout;
    }

    public Duration hookTimeout() {
        return hookTimeout;
    }

    /**
     * Mints a temporary claim certificate for a template. Registry errors (unknown template) propagate as
     * {@link RegistryException}, as the control plane answers them.
     */
    public ProvisioningClaim createProvisioningClaim(String templateName) {
        ProvisioningTemplate template = registry.templates().get(templateName);
        KeyPair keyPair = keys.take();
        Instant expiration = clock.instant().plus(claimLifetime);
        X509Certificate certificate =
                ca.issueClientCertificate(keyPair.getPublic(), CERTIFICATE_COMMON_NAME, expiration);
        CertificateRecord record =
                registry.certificates().registerIssued(certificate, CertificateStatus.ACTIVE, template.templateName());
        return new ProvisioningClaim(
                record.certificateId(), record.certificatePem(), keyPair, record.notAfter(), template.templateName());
    }

    public CreateKeysAndCertificateResponse createKeysAndCertificate(String clientId, String callerCertificateId) {
        requireRate("CreateKeysAndCertificate");
        requireCallerValid(callerCertificateId);
        KeyPair keyPair = keys.take();
        CertificateRecord record = issueDeviceCertificate(keyPair.getPublic());
        String token = tokens.issue(record.certificateId(), callerCertificateId);
        LOG.debug("CreateKeysAndCertificate for {}: certificate {}", clientId, record.certificateId());
        return new CreateKeysAndCertificateResponse(
                record.certificateId(), record.certificatePem(), Pem.privateKey(keyPair), token);
    }

    public CreateCertificateFromCsrResponse createCertificateFromCsr(
            String clientId, String callerCertificateId, CreateCertificateFromCsrRequest request) {
        requireRate("CreateCertificateFromCsr");
        requireCallerValid(callerCertificateId);
        if (request.certificateSigningRequest() == null
                || request.certificateSigningRequest().isBlank()) {
            throw FleetErrors.invalidCsr("certificateSigningRequest cannot be empty.");
        }
        PublicKey publicKey;
        try {
            publicKey = CsrValidator.validate(request.certificateSigningRequest());
        } catch (InvalidCsrException e) {
            throw FleetErrors.invalidCsr(e.getMessage());
        }
        CertificateRecord record = issueDeviceCertificate(publicKey);
        String token = tokens.issue(record.certificateId(), callerCertificateId);
        LOG.debug("CreateCertificateFromCsr for {}: certificate {}", clientId, record.certificateId());
        return new CreateCertificateFromCsrResponse(record.certificateId(), record.certificatePem(), token);
    }

    public RegisterThingResponse registerThing(
            String clientId, String callerCertificateId, String templateName, RegisterThingRequest request) {
        requireRate("RegisterThing");
        CertificateRecord caller = requireCallerValid(callerCertificateId);
        ProvisioningTemplate template = registry.templates()
                .find(templateName)
                .orElseThrow(() -> FleetErrors.notFound("Provisioning template " + templateName + " not found."));
        if (!template.enabled()) {
            throw FleetErrors.invalidRequest("Provisioning template " + templateName + " is disabled.");
        }
        OwnershipTokens.Grant grant = tokens.take(request.certificateOwnershipToken(), callerCertificateId);
        boolean registered = false;
        try {
            CertificateRecord certificate = registry.certificates()
                    .find(grant.certificateId())
                    .orElseThrow(() -> FleetErrors.invalidToken("The certificate of this token no longer exists."));
            Map<String, String> parameters = new HashMap<>(request.parameters());
            if (template.preProvisioningHook() != null) {
                parameters.putAll(callHook(template, caller, certificate, clientId, request.parameters()));
            }
            ProvisioningPlan plan = evaluate(template, parameters, certificate.certificateId());
            String thingName = apply(plan, certificate);
            registered = true;
            LOG.info(
                    "RegisterThing {} with template {}: thing {}, certificate {}",
                    clientId,
                    templateName,
                    thingName,
                    certificate.certificateId());
            return new RegisterThingResponse(plan.deviceConfiguration(), thingName);
        } finally {
            if (!registered) {
                tokens.restore(request.certificateOwnershipToken(), grant);
            }
        }
    }

    /**
     * Removes what AWS removes on its own: certificates whose ownership token expired before they were registered
     * (still PENDING_ACTIVATION and attached to nothing), and expired claims.
     */
    public void expireStale() {
        for (OwnershipTokens.Grant grant : tokens.removeExpired()) {
            registry.certificates()
                    .find(grant.certificateId())
                    .filter(c -> c.status() == CertificateStatus.PENDING_ACTIVATION)
                    .filter(c -> !registry.isAttached(c.certificateId()))
                    .ifPresent(c -> registry.purgeCertificate(c.certificateId()));
        }
        registry.purgeExpiredClaims(clock.instant().minus(Duration.ofMinutes(1)));
    }

    /** A key pair for a new device certificate, from the pool that CreateKeysAndCertificate draws from. */
    public KeyPair newKeyPair() {
        return keys.take();
    }

    /**
     * A device certificate as AWS issues one, registered in {@code status}: the control plane's
     * CreateKeysAndCertificate and CreateCertificateFromCsr, whose certificates are user-managed (no ownership token).
     */
    public CertificateRecord issueDeviceCertificate(PublicKey publicKey, CertificateStatus status) {
        X509Certificate certificate =
                ca.issueClientCertificate(publicKey, CERTIFICATE_COMMON_NAME, DEVICE_CERTIFICATE_NOT_AFTER);
        return registry.certificates().registerIssued(certificate, status, null);
    }

    private CertificateRecord issueDeviceCertificate(PublicKey publicKey) {
        return issueDeviceCertificate(publicKey, CertificateStatus.PENDING_ACTIVATION);
    }

    private void requireRate(String api) {
        if (!throttle.tryAcquire(api)) {
            throw FleetErrors.throttled(api);
        }
    }

    /** A claim that expired while connected may no longer provision (AWS: within 5 minutes of issue). */
    private CertificateRecord requireCallerValid(String callerCertificateId) {
        CertificateRecord caller = registry.certificates()
                .find(callerCertificateId)
                .orElseThrow(() -> FleetErrors.accessDenied("The client certificate is not registered."));
        if (!caller.mayConnect(clock.instant())) {
            throw FleetErrors.accessDenied(
                    "The client certificate is " + (caller.isClaim() ? "an expired claim." : "not active."));
        }
        return caller;
    }

    private Map<String, String> callHook(
            ProvisioningTemplate template,
            CertificateRecord caller,
            CertificateRecord certificate,
            String clientId,
            Map<String, String> parameters) {
        var hookRequest = new PreProvisioningHookRequest(
                caller.certificateId(),
                certificate.certificateId(),
                certificate.certificatePem(),
                template.templateArn(),
                clientId,
                parameters);
        PreProvisioningHookResponse answer;
        try {
            answer = hooks.invoke(template.preProvisioningHook().targetArn(), hookRequest, hookTimeout);
        } catch (PreProvisioningHookClient.HookFailure e) {
            LOG.info("RegisterThing {} denied: {}", clientId, e.getMessage());
            throw FleetErrors.accessDenied("Pre-provisioning hook failed: " + e.getMessage());
        }
        if (!answer.allowed()) {
            LOG.info("RegisterThing {} denied by the pre-provisioning hook", clientId);
            throw FleetErrors.accessDenied("Pre-provisioning hook denied provisioning.");
        }
        return answer.parameterOverrides();
    }

    private ProvisioningPlan evaluate(
            ProvisioningTemplate template, Map<String, String> parameters, String certificateId) {
        try {
            return templateEngine.evaluate(template.templateBody(), parameters, certificateId);
        } catch (TemplateException e) {
            throw FleetErrors.template(e.errorCode(), e.getMessage());
        }
    }

    /** Applies the plan atomically against other registry changes; returns the thing name (null if none). */
    private String apply(ProvisioningPlan plan, CertificateRecord certificate) {
        try {
            return registry.atomically(() -> {
                String thingName = null;
                if (plan.thing() != null) {
                    thingName = upsertThing(plan.thing()).thingName();
                }
                for (PolicySpec spec : plan.policies()) {
                    String policyName = ensurePolicy(spec);
                    registry.attachPolicy(policyName, certificate.certificateArn());
                }
                if (thingName != null) {
                    registry.attachThingPrincipal(thingName, certificate.certificateArn());
                }
                if (plan.certificate() != null) {
                    registry.certificates()
                            .updateStatus(
                                    certificate.certificateId(),
                                    CertificateStatus.valueOf(plan.certificate().status()));
                }
                return thingName;
            });
        } catch (RegistryException e) {
            throw switch (e.type()) {
                case ResourceNotFoundException -> FleetErrors.notFound(e.getMessage());
                case InvalidRequestException, MalformedPolicyException ->
                    FleetErrors.template("InvalidParameters", e.getMessage());
                default -> FleetErrors.internal(e.getMessage());
            };
        }
    }

    private Thing upsertThing(ThingSpec spec) {
        Thing existing = registry.things().find(spec.thingName()).orElse(null);
        if (existing == null) {
            return registry.things()
                    .create(
                            spec.thingName(),
                            spec.thingTypeName(),
                            spec.attributes(),
                            spec.billingGroup(),
                            spec.thingGroups());
        }
        Map<String, String> attributes = switch (override(spec, ThingProperty.ATTRIBUTE_PAYLOAD)) {
            case REPLACE -> spec.attributes();
            case MERGE -> {
                Map<String, String> merged = new LinkedHashMap<>(existing.attributes());
                merged.putAll(spec.attributes());
                yield merged;
            }
            default -> existing.attributes();
        };
        List<String> groups = switch (override(spec, ThingProperty.THING_GROUPS)) {
            case REPLACE -> spec.thingGroups();
            case MERGE -> {
                var union = new LinkedHashSet<>(existing.thingGroups());
                union.addAll(spec.thingGroups());
                yield new ArrayList<>(union);
            }
            default -> existing.thingGroups();
        };
        String type = override(spec, ThingProperty.THING_TYPE_NAME) == OverrideAction.REPLACE
                ? spec.thingTypeName()
                : existing.thingTypeName();
        String billing = override(spec, ThingProperty.BILLING_GROUP) == OverrideAction.REPLACE
                ? spec.billingGroup()
                : existing.billingGroupName();
        return registry.things().update(spec.thingName(), type, attributes, billing, groups);
    }

    /** AWS's default when a template gives no override setting is to leave the existing thing as it is. */
    private static OverrideAction override(ThingSpec spec, ThingProperty property) {
        OverrideAction action = spec.overrides().getOrDefault(property, OverrideAction.DO_NOTHING);
        if (action == OverrideAction.FAIL) {
            throw FleetErrors.resourceConflict("Thing " + spec.thingName() + " already exists and the template's "
                    + property + " override setting is FAIL.");
        }
        return action;
    }

    private String ensurePolicy(PolicySpec spec) {
        if (spec.policyDocument() == null) {
            return registry.policies().get(spec.policyName()).policyName();
        }
        return registry.policies()
                .find(spec.policyName())
                .filter(p -> Objects.equals(p.policyName(), spec.policyName()))
                .map(p -> p.policyName())
                .orElseGet(() -> registry.policies()
                        .create(spec.policyName(), spec.policyDocument())
                        .policyName());
    }
}
