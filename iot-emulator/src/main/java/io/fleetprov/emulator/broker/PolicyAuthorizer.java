package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.policy.CertificateNames;
import io.fleetprov.emulator.policy.ConnectionContext;
import io.fleetprov.emulator.policy.IotAction;
import io.fleetprov.emulator.policy.PolicyDocument;
import io.fleetprov.emulator.policy.PolicyEvaluator;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.protocol.FleetTopics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates AWS IoT policies on every publish and subscribe. A device certificate is judged by the policies
 * attached to it; a provisioning claim by an implicit policy allowing only its template's fleet-provisioning
 * topics (AWS does not document the claim's own permissions — this mirrors the claim policy in its docs, plus
 * {@code create-from-csr}). A forbidden publish or subscribe disconnects the client, as AWS does, and so does a
 * publish to a topic AWS reserves for itself. Each check judges the connection Moquette names by its connection
 * token (see {@link ClientIdentities}), so a client id changing hands cannot lend one connection another's rights.
 */
final class PolicyAuthorizer implements IAuthorizatorPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyAuthorizer.class);
    /** How many certificates' fields {@link #namesOf} keeps at most: about half a kilobyte each. */
    static final int FIELDS_CACHED = 10_000;

    private final ClientIdentities identities;
    private final Registry registry;
    private final Consumer<String> disconnect;
    private final Map<String, PolicyDocument> claimPolicies = new ConcurrentHashMap<>();
    /** See {@link #namesOf}; by certificate id. */
    private final Map<String, CertificateFields> certificateFields = new ConcurrentHashMap<>();

    PolicyAuthorizer(ClientIdentities identities, Registry registry, Consumer<String> disconnect) {
        this.identities = identities;
        this.registry = registry;
        this.disconnect = disconnect;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String clientId) {
        String name = topic.toString();
        if (isReservedForAws(name)) {
            LOG.info("publish to reserved topic {} refused for client {}; disconnecting it", name, clientId);
            disconnect.accept(clientId);
            return false;
        }
        return check(IotAction.PUBLISH, name, user, clientId);
    }

    @Override
    public boolean canRead(Topic topic, String user, String clientId) {
        return check(IotAction.SUBSCRIBE, topic.toString(), user, clientId);
    }

    /**
     * Clients may publish under {@code $aws/} only to the request topics of the APIs the emulator serves (fleet
     * provisioning); answers ({@code /accepted}, {@code /rejected}), events and every other reserved topic come from
     * the broker alone, whatever a policy allows.
     */
    static boolean isReservedForAws(String topic) {
        return topic.startsWith("$aws/") && FleetTopics.parseRequest(topic).isEmpty();
    }

    /** Whether the policies of {@code identity} allow {@code action} on {@code resource}, now. */
    boolean allows(ClientIdentity identity, IotAction action, String resource) {
        return PolicyEvaluator.isAllowed(policiesOf(identity), action, resource, context(identity));
    }

    private boolean check(IotAction action, String resource, String user, String clientId) {
        Optional<ClientIdentity> identity = identities.of(user, clientId);
        boolean allowed = identity.isPresent() && allows(identity.get(), action, resource);
        if (!allowed) {
            LOG.info("{} {} denied for client {}; disconnecting it", action.actionName(), resource, clientId);
            disconnect.accept(clientId);
        }
        return allowed;
    }

    private List<PolicyDocument> policiesOf(ClientIdentity identity) {
        if (identity.isClaim()) {
            return List.of(claimPolicies.computeIfAbsent(identity.claimTemplate(), PolicyAuthorizer::claimPolicy));
        }
        return registry.policyDocumentsForCertificate(identity.certificateId());
    }

    /**
     * Thing variables resolve only when the client id is the name of a thing the certificate is attached to;
     * certificate subject and issuer fields and the source address always do.
     */
    private ConnectionContext context(ClientIdentity identity) {
        Optional<Thing> thing = registry.things()
                .find(identity.clientId())
                .filter(t -> registry.isThingPrincipal(
                        t.thingName(), registry.arns().certificate(identity.certificateId())));
        Optional<CertificateFields> certificate =
                registry.certificates().find(identity.certificateId()).map(this::namesOf);
        return new ConnectionContext(
                registry.arns().region(),
                registry.arns().accountId(),
                identity.clientId(),
                identity.certificateId(),
                thing.map(Thing::thingName).orElse(null),
                thing.map(Thing::thingTypeName).orElse(null),
                thing.map(Thing::attributes).orElse(Map.of()),
                certificate.map(CertificateFields::subject).orElse(Map.of()),
                certificate.map(CertificateFields::issuer).orElse(Map.of()),
                identity.sourceIp());
    }

    /**
     * A certificate's subject and issuer fields, parsed once instead of at every publish, subscribe and receive check.
     * A certificate id is the SHA-256 of the certificate's DER ({@code CertificateIds}), so the fields of an id can
     * never change; the registry is still asked at every check whether the certificate exists at all (a deleted one
     * resolves no fields, as before) and which policies it has now. Status is not read here (admission and {@code
     * dropRevoked} read it, uncached). Only the fields are kept, not the certificate, and at most {@link
     * #FIELDS_CACHED} of them (then cleared, the certificates in use being parsed again).
     */
    private CertificateFields namesOf(CertificateRecord record) {
        CertificateFields cached = certificateFields.get(record.certificateId());
        if (cached != null) {
            return cached;
        }
        if (certificateFields.size() >= FIELDS_CACHED) {
            certificateFields.clear();
        }
        CertificateFields parsed = new CertificateFields(
                Map.copyOf(CertificateNames.subject(record.certificate())),
                Map.copyOf(CertificateNames.issuer(record.certificate())));
        certificateFields.put(record.certificateId(), parsed);
        return parsed;
    }

    private record CertificateFields(Map<String, List<String>> subject, Map<String, List<String>> issuer) {}

    /** Certificates whose fields are held; for tests. */
    int cachedCertificateFields() {
        return certificateFields.size();
    }

    private static PolicyDocument claimPolicy(String templateName) {
        String topics = "\"arn:aws:iot:*:*:topic/$aws/certificates/create/*\","
                + "\"arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*\","
                + "\"arn:aws:iot:*:*:topic/$aws/provisioning-templates/" + templateName + "/provision/*\"";
        String filters = topics.replace(":topic/", ":topicfilter/");
        return PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\"],\"Resource\":[" + topics + "]},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\",\"Resource\":[" + filters + "]}]}");
    }
}
