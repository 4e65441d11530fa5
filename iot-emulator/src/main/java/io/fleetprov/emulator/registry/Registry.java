package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.policy.PolicyDocument;
import io.fleetprov.emulator.template.TemplateEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The emulator's AWS IoT registry, with AWS's states and errors: one store per aggregate ({@link #things()},
 * {@link #thingTypes()}, {@link #thingGroups()}, {@link #certificates()}, {@link #policies()}, {@link #templates()}, {@link #eventConfigurations()}), and here the
 * operations that span them: attaching policies and principals, which checks that both ends exist, and deleting a
 * thing or a certificate, which also removes what is attached to it.
 *
 * <p><b>Locking: the registry has one monitor; every method here and every store method that reads or changes state
 * holds it</b> (the stores are given it when this class creates them). So each method is atomic, a check in one store
 * cannot go stale before the write in another that depends on it, and {@link #atomically} makes several steps one
 * (RegisterThing applies its whole plan so, and no reader sees half of it). One monitor rather than one per store:
 * readers see what they saw before the split, there is no lock order to get wrong, and the operations are cheap next
 * to the TLS and crypto work around them.
 */
public final class Registry {

    private final Object monitor = new Object();
    private final Arns arns;
    private final ThingStore things;
    private final ThingTypeStore thingTypes;
    private final ThingGroupStore thingGroups;
    private final CertificateStore certificates;
    private final PolicyStore policies;
    private final ProvisioningTemplateStore templates;
    private final EventConfigurationStore eventConfigurations;
    private final AttachmentStore attachments;

    public Registry(Clock clock, Arns arns, TemplateEngine templateEngine) {
        this.arns = arns;
        this.thingTypes = new ThingTypeStore(monitor, clock, arns);
        this.thingGroups = new ThingGroupStore(monitor, clock, arns);
        this.things = new ThingStore(monitor, arns, thingTypes, thingGroups);
        this.certificates = new CertificateStore(monitor, clock, arns);
        this.policies = new PolicyStore(monitor, clock, arns);
        this.templates = new ProvisioningTemplateStore(monitor, clock, arns, templateEngine);
        this.eventConfigurations = new EventConfigurationStore(monitor, clock);
        this.attachments = new AttachmentStore(monitor);
    }

    public Arns arns() {
        return arns;
    }

    public ThingStore things() {
        return things;
    }

    public ThingTypeStore thingTypes() {
        return thingTypes;
    }

    public ThingGroupStore thingGroups() {
        return thingGroups;
    }

    public CertificateStore certificates() {
        return certificates;
    }

    public PolicyStore policies() {
        return policies;
    }

    public ProvisioningTemplateStore templates() {
        return templates;
    }

    public EventConfigurationStore eventConfigurations() {
        return eventConfigurations;
    }

    /** Runs {@code steps} holding the registry's monitor: no other registry change or read interleaves with them. */
    public <T> T atomically(Supplier<T> steps) {
        synchronized (monitor) {
            return steps.get();
        }
    }

    // ---- policies attached to certificates ----

    public void attachPolicy(String policyName, String targetArn) {
        synchronized (monitor) {
            policies.get(policyName);
            requireCertificate(targetArn);
            attachments.attachPolicy(targetArn, policyName);
        }
    }

    public void detachPolicy(String policyName, String targetArn) {
        synchronized (monitor) {
            policies.get(policyName);
            attachments.detachPolicy(targetArn, policyName);
        }
    }

    /** AWS refuses to delete a policy that is still attached to a certificate (DeleteConflictException). */
    public void deletePolicy(String policyName) {
        synchronized (monitor) {
            policies.delete(policyName, attachments.isPolicyAttached(policyName));
        }
    }

    public List<Policy> attachedPolicies(String targetArn) {
        synchronized (monitor) {
            return attachments.policyNames(targetArn).stream()
                    .map(policies::find)
                    .flatMap(Optional::stream)
                    .toList();
        }
    }

    /** The parsed policies attached to a certificate, for evaluating its publishes and subscribes. */
    public List<PolicyDocument> policyDocumentsForCertificate(String certificateId) {
        synchronized (monitor) {
            return attachments.policyNames(arns.certificate(certificateId)).stream()
                    .map(policies::document)
                    .flatMap(Optional::stream)
                    .toList();
        }
    }

    // ---- principals of things ----

    public void attachThingPrincipal(String thingName, String principalArn) {
        synchronized (monitor) {
            things.get(thingName);
            requireCertificate(principalArn);
            attachments.attachPrincipal(thingName, principalArn);
        }
    }

    public void detachThingPrincipal(String thingName, String principalArn) {
        synchronized (monitor) {
            things.get(thingName);
            attachments.detachPrincipal(thingName, principalArn);
        }
    }

    public List<String> thingPrincipals(String thingName) {
        synchronized (monitor) {
            things.get(thingName);
            return attachments.principals(thingName);
        }
    }

    public boolean isThingPrincipal(String thingName, String principalArn) {
        return attachments.isPrincipal(thingName, principalArn);
    }

    public List<String> principalThings(String principalArn) {
        return attachments.thingsOf(principalArn);
    }

    /** Whether anything is attached to the certificate (a thing or a policy). */
    public boolean isAttached(String certificateId) {
        return attachments.isAttached(arns.certificate(certificateId));
    }

    // ---- deletions that also remove attachments ----

    /** AWS answers success for a thing that does not exist. */
    public void deleteThing(String thingName, Long expectedVersion) {
        synchronized (monitor) {
            things.delete(thingName, expectedVersion).ifPresent(thing -> {
                attachments.removeThing(thingName);
                things.deleted(thing);
            });
        }
    }

    public void deleteCertificate(String certificateId, boolean forceDelete) {
        synchronized (monitor) {
            String arn = arns.certificate(certificateId);
            certificates.delete(certificateId, !forceDelete && attachments.isAttached(arn));
            attachments.removePrincipal(arn);
        }
    }

    /** Removes a certificate and every attachment of it, whatever its state (token expiry, claim expiry). */
    public void purgeCertificate(String certificateId) {
        synchronized (monitor) {
            certificates
                    .remove(certificateId)
                    .ifPresent(record -> attachments.removePrincipal(record.certificateArn()));
        }
    }

    /** Removes claims whose validity ended before {@code cutoff}. */
    public int purgeExpiredClaims(Instant cutoff) {
        synchronized (monitor) {
            List<CertificateRecord> expired = certificates.removeClaimsExpiredBefore(cutoff);
            expired.forEach(record -> attachments.removePrincipal(record.certificateArn()));
            return expired.size();
        }
    }

    private void requireCertificate(String targetArn) {
        String certificateId = Arns.certificateIdOf(targetArn);
        if (certificateId == null) {
            throw RegistryException.invalid("Unsupported policy target: " + targetArn);
        }
        certificates.get(certificateId);
    }
}
