package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.policy.MalformedPolicyException;
import io.fleetprov.emulator.policy.PolicyDocument;
import io.fleetprov.emulator.template.TemplateEngine;
import io.fleetprov.emulator.template.TemplateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The emulator's AWS IoT registry: certificates, things, policies, provisioning templates and the attachments
 * between them, with AWS's states and errors. Every method is atomic (one lock: the registry is small and its
 * operations are cheap next to the TLS and crypto work around them).
 */
public final class Registry {

    /** AWS allows five versions per template (commonly quoted; UNCONFIRMED in the reference). */
    public static final int MAX_TEMPLATE_VERSIONS = 5;

    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final Clock clock;
    private final Arns arns;
    private final TemplateEngine templateEngine;
    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, CertificateRecord> certificates = new HashMap<>();
    private final Map<String, Thing> things = new HashMap<>();
    private final Map<String, Policy> policies = new HashMap<>();
    private final Map<String, PolicyDocument> parsedPolicies = new HashMap<>();
    private final Map<String, ProvisioningTemplate> templates = new HashMap<>();
    /** target ARN → policy names */
    private final Map<String, Set<String>> policyAttachments = new HashMap<>();
    /** thing name → principal ARNs */
    private final Map<String, Set<String>> thingPrincipals = new HashMap<>();

    private EventConfigurations eventConfigurations;

    public Registry(Clock clock, Arns arns, TemplateEngine templateEngine) {
        this.clock = clock;
        this.arns = arns;
        this.templateEngine = templateEngine;
        this.eventConfigurations = EventConfigurations.allOff(clock.instant());
    }

    public Arns arns() {
        return arns;
    }

    public void addListener(RegistryListener listener) {
        listeners.add(listener);
    }

    // ---- event configurations ----

    public synchronized EventConfigurations eventConfigurations() {
        return eventConfigurations;
    }

    /** Sets the given event types on or off; others keep their setting. Unknown types are refused, as on AWS. */
    public synchronized EventConfigurations updateEventConfigurations(Map<String, Boolean> changes) {
        Map<String, Boolean> enabled = new HashMap<>(eventConfigurations.enabled());
        changes.forEach((type, on) -> {
            if (!EventConfigurations.EVENT_TYPES.contains(type)) {
                throw RegistryException.invalid("Unknown event type: " + type);
            }
            enabled.put(type, Boolean.TRUE.equals(on));
        });
        eventConfigurations = new EventConfigurations(enabled, eventConfigurations.creationDate(), clock.instant());
        return eventConfigurations;
    }

    // ---- provisioning templates ----

    public synchronized ProvisioningTemplate createProvisioningTemplate(
            String name,
            String description,
            String templateBody,
            boolean enabled,
            String provisioningRoleArn,
            ProvisioningTemplate.PreProvisioningHook hook,
            String type) {
        if (name == null || !name.matches("[0-9A-Za-z_-]{1,36}")) {
            throw RegistryException.invalid("Invalid template name: " + name);
        }
        if (templates.containsKey(name)) {
            throw RegistryException.alreadyExists("Provisioning template " + name + " already exists");
        }
        if (provisioningRoleArn == null || provisioningRoleArn.isBlank()) {
            throw RegistryException.invalid("provisioningRoleArn is required");
        }
        String templateType = type == null ? "FLEET_PROVISIONING" : type;
        if (!templateType.equals("FLEET_PROVISIONING") && !templateType.equals("JITP")) {
            throw RegistryException.invalid("Invalid template type: " + type);
        }
        if (hook != null && templateType.equals("JITP")) {
            throw RegistryException.invalid("A pre-provisioning hook is supported only for FLEET_PROVISIONING");
        }
        validateTemplateBody(templateBody);
        Instant now = clock.instant();
        var template = new ProvisioningTemplate(
                name,
                arns.provisioningTemplate(name),
                description,
                enabled,
                provisioningRoleArn,
                hook,
                templateType,
                List.of(new ProvisioningTemplate.Version(1, templateBody, now)),
                1,
                now,
                now);
        templates.put(name, template);
        return template;
    }

    public synchronized Optional<ProvisioningTemplate> findTemplate(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public ProvisioningTemplate template(String name) {
        return findTemplate(name)
                .orElseThrow(() -> RegistryException.notFound("Provisioning template " + name + " not found"));
    }

    public synchronized List<ProvisioningTemplate> listTemplates() {
        return templates.values().stream()
                .sorted(Comparator.comparing(ProvisioningTemplate::templateName))
                .toList();
    }

    /** Null arguments leave a field as it is. */
    public synchronized ProvisioningTemplate updateProvisioningTemplate(
            String name,
            String description,
            Boolean enabled,
            Integer defaultVersionId,
            String provisioningRoleArn,
            ProvisioningTemplate.PreProvisioningHook hook,
            boolean removeHook) {
        ProvisioningTemplate t = template(name);
        if (defaultVersionId != null) {
            t.version(defaultVersionId);
        }
        ProvisioningTemplate.PreProvisioningHook newHook =
                removeHook ? null : hook != null ? hook : t.preProvisioningHook();
        var updated = new ProvisioningTemplate(
                name,
                t.templateArn(),
                description != null ? description : t.description(),
                enabled != null ? enabled : t.enabled(),
                provisioningRoleArn != null ? provisioningRoleArn : t.provisioningRoleArn(),
                newHook,
                t.type(),
                t.versions(),
                defaultVersionId != null ? defaultVersionId : t.defaultVersionId(),
                t.creationDate(),
                clock.instant());
        templates.put(name, updated);
        return updated;
    }

    public synchronized void deleteProvisioningTemplate(String name) {
        template(name);
        templates.remove(name);
    }

    public synchronized ProvisioningTemplate.Version createTemplateVersion(
            String name, String templateBody, boolean setAsDefault) {
        ProvisioningTemplate t = template(name);
        if (t.versions().size() >= MAX_TEMPLATE_VERSIONS) {
            throw new RegistryException(
                    ErrorType.VersionsLimitExceededException,
                    "Provisioning template " + name + " already has " + MAX_TEMPLATE_VERSIONS + " versions");
        }
        validateTemplateBody(templateBody);
        int next = t.versions().stream()
                        .mapToInt(ProvisioningTemplate.Version::versionId)
                        .max()
                        .orElse(0)
                + 1;
        Instant now = clock.instant();
        var version = new ProvisioningTemplate.Version(next, templateBody, now);
        List<ProvisioningTemplate.Version> versions = new ArrayList<>(t.versions());
        versions.add(version);
        templates.put(
                name,
                new ProvisioningTemplate(
                        name,
                        t.templateArn(),
                        t.description(),
                        t.enabled(),
                        t.provisioningRoleArn(),
                        t.preProvisioningHook(),
                        t.type(),
                        versions,
                        setAsDefault ? next : t.defaultVersionId(),
                        t.creationDate(),
                        now));
        return version;
    }

    public synchronized void deleteTemplateVersion(String name, int versionId) {
        ProvisioningTemplate t = template(name);
        t.version(versionId);
        if (versionId == t.defaultVersionId()) {
            throw new RegistryException(
                    ErrorType.DeleteConflictException,
                    "Cannot delete the default version of provisioning template " + name);
        }
        List<ProvisioningTemplate.Version> versions =
                t.versions().stream().filter(v -> v.versionId() != versionId).toList();
        templates.put(
                name,
                new ProvisioningTemplate(
                        name,
                        t.templateArn(),
                        t.description(),
                        t.enabled(),
                        t.provisioningRoleArn(),
                        t.preProvisioningHook(),
                        t.type(),
                        versions,
                        t.defaultVersionId(),
                        t.creationDate(),
                        clock.instant()));
    }

    private void validateTemplateBody(String templateBody) {
        if (templateBody == null) {
            throw RegistryException.invalid("templateBody is required");
        }
        try {
            templateEngine.validate(templateBody);
        } catch (TemplateException e) {
            throw RegistryException.invalid("Invalid template body: " + e.getMessage());
        }
    }

    // ---- certificates ----

    public synchronized CertificateRecord registerCertificate(
            X509Certificate certificate, CertificateStatus status, String claimTemplate) {
        String id = CertificateIds.of(certificate);
        if (certificates.containsKey(id)) {
            throw RegistryException.alreadyExists("Certificate " + id + " already exists");
        }
        Instant now = clock.instant();
        var record = new CertificateRecord(
                id, arns.certificate(id), certificate, Pem.certificate(certificate), status, claimTemplate, now, now);
        certificates.put(id, record);
        return record;
    }

    public synchronized Optional<CertificateRecord> findCertificate(String certificateId) {
        return Optional.ofNullable(certificates.get(certificateId));
    }

    public CertificateRecord certificate(String certificateId) {
        return findCertificate(certificateId)
                .orElseThrow(() -> RegistryException.notFound("Certificate " + certificateId + " not found"));
    }

    /** Device certificates in creation order; claims are hidden, as on AWS. */
    public synchronized List<CertificateRecord> listCertificates(boolean ascending) {
        Comparator<CertificateRecord> order =
                Comparator.comparing(CertificateRecord::creationDate).thenComparing(CertificateRecord::certificateId);
        return certificates.values().stream()
                .filter(c -> !c.isClaim())
                .sorted(ascending ? order : order.reversed())
                .toList();
    }

    public synchronized CertificateRecord updateCertificateStatus(String certificateId, CertificateStatus status) {
        CertificateRecord current = certificate(certificateId);
        if (current.isClaim()) {
            throw new RegistryException(
                    ErrorType.CertificateStateException, "The status of a provisioning claim cannot be changed");
        }
        CertificateRecord updated = current.withStatus(status, clock.instant());
        certificates.put(certificateId, updated);
        return updated;
    }

    public synchronized void deleteCertificate(String certificateId, boolean forceDelete) {
        CertificateRecord record = certificate(certificateId);
        if (record.status() == CertificateStatus.ACTIVE && !record.isClaim()) {
            throw new RegistryException(
                    ErrorType.CertificateStateException,
                    "Certificate " + certificateId + " is ACTIVE; deactivate it before deleting it");
        }
        String arn = record.certificateArn();
        boolean attached = !principalThingsLocked(arn).isEmpty()
                || !policyAttachments.getOrDefault(arn, Set.of()).isEmpty();
        if (attached && !forceDelete) {
            throw new RegistryException(
                    ErrorType.DeleteConflictException,
                    "Certificate " + certificateId + " is attached to things or policies");
        }
        removeCertificateLocked(record);
    }

    /** Removes a certificate and every attachment of it, whatever its state (token expiry, claim expiry). */
    public synchronized void purgeCertificate(String certificateId) {
        CertificateRecord record = certificates.get(certificateId);
        if (record != null) {
            removeCertificateLocked(record);
        }
    }

    /** Whether anything is attached to the certificate (a thing or a policy). */
    public synchronized boolean isAttached(String certificateId) {
        String arn = arns.certificate(certificateId);
        return !principalThingsLocked(arn).isEmpty()
                || !policyAttachments.getOrDefault(arn, Set.of()).isEmpty();
    }

    /** Removes claims whose validity ended before {@code cutoff}. */
    public synchronized int purgeExpiredClaims(Instant cutoff) {
        List<CertificateRecord> expired = certificates.values().stream()
                .filter(c -> c.isClaim() && c.notAfter().isBefore(cutoff))
                .toList();
        expired.forEach(this::removeCertificateLocked);
        return expired.size();
    }

    private void removeCertificateLocked(CertificateRecord record) {
        certificates.remove(record.certificateId());
        policyAttachments.remove(record.certificateArn());
        thingPrincipals.values().forEach(principals -> principals.remove(record.certificateArn()));
    }

    // ---- things ----

    public synchronized Thing createThing(
            String thingName,
            String thingTypeName,
            Map<String, String> attributes,
            String billingGroupName,
            List<String> thingGroups) {
        requireThingName(thingName);
        Map<String, String> attrs = attributes == null ? Map.of() : attributes;
        Thing existing = things.get(thingName);
        if (existing != null) {
            if (Objects.equals(existing.thingTypeName(), thingTypeName)
                    && existing.attributes().equals(attrs)) {
                return existing;
            }
            throw RegistryException.alreadyExists("Thing " + thingName + " already exists with different tags");
        }
        var thing = new Thing(
                thingName,
                UUID.randomUUID().toString(),
                arns.thing(thingName),
                thingTypeName,
                attrs,
                1,
                billingGroupName,
                thingGroups == null ? List.of() : thingGroups);
        things.put(thingName, thing);
        listeners.forEach(l -> l.thingCreated(thing));
        return thing;
    }

    /** Replaces a thing's mutable fields and bumps its version; used by RegisterThing's override settings. */
    public synchronized Thing updateThing(
            String thingName,
            String thingTypeName,
            Map<String, String> attributes,
            String billingGroupName,
            List<String> thingGroups) {
        Thing current = thing(thingName);
        var updated = new Thing(
                thingName,
                current.thingId(),
                current.thingArn(),
                thingTypeName,
                attributes,
                current.version() + 1,
                billingGroupName,
                thingGroups);
        if (updated.equals(new Thing(
                thingName,
                current.thingId(),
                current.thingArn(),
                current.thingTypeName(),
                current.attributes(),
                updated.version(),
                current.billingGroupName(),
                current.thingGroups()))) {
            return current;
        }
        things.put(thingName, updated);
        listeners.forEach(l -> l.thingUpdated(updated));
        return updated;
    }

    public synchronized Optional<Thing> findThing(String thingName) {
        return Optional.ofNullable(things.get(thingName));
    }

    public Thing thing(String thingName) {
        return findThing(thingName).orElseThrow(() -> RegistryException.notFound("Thing " + thingName + " not found"));
    }

    /** Things sorted by name, filtered like ListThings. Null filters match everything. */
    public synchronized List<Thing> listThings(
            String attributeName, String attributeValue, String thingTypeName, boolean usePrefixAttributeValue) {
        return things.values().stream()
                .filter(t -> thingTypeName == null || thingTypeName.equals(t.thingTypeName()))
                .filter(t -> attributeName == null
                        || matchesAttribute(t.attributes().get(attributeName), attributeValue, usePrefixAttributeValue))
                .sorted(Comparator.comparing(Thing::thingName))
                .toList();
    }

    private static boolean matchesAttribute(String actual, String wanted, boolean prefix) {
        if (actual == null) {
            return false;
        }
        if (wanted == null) {
            return true;
        }
        return prefix ? actual.startsWith(wanted) : actual.equals(wanted);
    }

    /** AWS answers success for a thing that does not exist. */
    public synchronized void deleteThing(String thingName, Long expectedVersion) {
        Thing thing = things.get(thingName);
        if (thing == null) {
            return;
        }
        if (expectedVersion != null && expectedVersion != thing.version()) {
            throw new RegistryException(
                    ErrorType.VersionConflictException,
                    "Thing " + thingName + " is at version " + thing.version() + ", not " + expectedVersion);
        }
        things.remove(thingName);
        thingPrincipals.remove(thingName);
        listeners.forEach(l -> l.thingDeleted(thing));
    }

    private static void requireThingName(String thingName) {
        if (thingName == null || !THING_NAME.matcher(thingName).matches()) {
            throw RegistryException.invalid("Invalid thing name: " + thingName);
        }
    }

    // ---- policies ----

    public synchronized Policy createPolicy(String policyName, String policyDocument) {
        if (policyName == null || !POLICY_NAME.matcher(policyName).matches()) {
            throw RegistryException.invalid("Invalid policy name: " + policyName);
        }
        if (policies.containsKey(policyName)) {
            throw RegistryException.alreadyExists("Policy " + policyName + " already exists");
        }
        PolicyDocument parsed;
        try {
            parsed = PolicyDocument.parse(policyDocument);
        } catch (MalformedPolicyException e) {
            throw new RegistryException(ErrorType.MalformedPolicyException, e.getMessage());
        }
        var policy = new Policy(policyName, arns.policy(policyName), policyDocument, "1", clock.instant());
        policies.put(policyName, policy);
        parsedPolicies.put(policyName, parsed);
        return policy;
    }

    public synchronized Optional<Policy> findPolicy(String policyName) {
        return Optional.ofNullable(policies.get(policyName));
    }

    public Policy policy(String policyName) {
        return findPolicy(policyName)
                .orElseThrow(() -> RegistryException.notFound("Policy " + policyName + " not found"));
    }

    public synchronized void attachPolicy(String policyName, String targetArn) {
        policy(policyName);
        requireTarget(targetArn);
        policyAttachments.computeIfAbsent(targetArn, k -> new LinkedHashSet<>()).add(policyName);
    }

    public synchronized void detachPolicy(String policyName, String targetArn) {
        policy(policyName);
        Set<String> attached = policyAttachments.get(targetArn);
        if (attached != null) {
            attached.remove(policyName);
        }
    }

    public synchronized List<Policy> attachedPolicies(String targetArn) {
        return policyAttachments.getOrDefault(targetArn, Set.of()).stream()
                .map(policies::get)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The parsed policies attached to a certificate, for evaluating its publishes and subscribes. */
    public synchronized List<PolicyDocument> policyDocumentsForCertificate(String certificateId) {
        return policyAttachments.getOrDefault(arns.certificate(certificateId), Set.of()).stream()
                .map(parsedPolicies::get)
                .filter(Objects::nonNull)
                .toList();
    }

    private void requireTarget(String targetArn) {
        String certificateId = Arns.certificateIdOf(targetArn);
        if (certificateId == null) {
            throw RegistryException.invalid("Unsupported policy target: " + targetArn);
        }
        certificate(certificateId);
    }

    // ---- thing principals ----

    public synchronized void attachThingPrincipal(String thingName, String principalArn) {
        thing(thingName);
        requireTarget(principalArn);
        thingPrincipals.computeIfAbsent(thingName, k -> new LinkedHashSet<>()).add(principalArn);
    }

    public synchronized void detachThingPrincipal(String thingName, String principalArn) {
        thing(thingName);
        Set<String> principals = thingPrincipals.get(thingName);
        if (principals != null) {
            principals.remove(principalArn);
        }
    }

    public synchronized List<String> thingPrincipals(String thingName) {
        thing(thingName);
        return List.copyOf(thingPrincipals.getOrDefault(thingName, Set.of()));
    }

    public synchronized boolean isThingPrincipal(String thingName, String principalArn) {
        return thingPrincipals.getOrDefault(thingName, Set.of()).contains(principalArn);
    }

    public synchronized List<String> principalThings(String principalArn) {
        return principalThingsLocked(principalArn);
    }

    private List<String> principalThingsLocked(String principalArn) {
        return thingPrincipals.entrySet().stream()
                .filter(e -> e.getValue().contains(principalArn))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
