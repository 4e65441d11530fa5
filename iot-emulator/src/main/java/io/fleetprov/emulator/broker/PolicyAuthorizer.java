package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.policy.CertificateNames;
import io.fleetprov.emulator.policy.ConnectionContext;
import io.fleetprov.emulator.policy.IotAction;
import io.fleetprov.emulator.policy.PolicyDocument;
import io.fleetprov.emulator.policy.PolicyEvaluator;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.registry.Thing;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.security.cert.X509Certificate;
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
 * {@code create-from-csr}). A forbidden publish or subscribe disconnects the client, as AWS does.
 */
final class PolicyAuthorizer implements IAuthorizatorPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyAuthorizer.class);

    private final ClientIdentities identities;
    private final Registry registry;
    private final Consumer<String> disconnect;
    private final Map<String, PolicyDocument> claimPolicies = new ConcurrentHashMap<>();

    PolicyAuthorizer(ClientIdentities identities, Registry registry, Consumer<String> disconnect) {
        this.identities = identities;
        this.registry = registry;
        this.disconnect = disconnect;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String clientId) {
        return check(IotAction.PUBLISH, topic.toString(), clientId);
    }

    @Override
    public boolean canRead(Topic topic, String user, String clientId) {
        if (!identities.isConnected(clientId)) {
            // Moquette re-checks a persistent session's subscriptions while reopening it, before the new
            // connection is attached, so its certificate cannot be known yet; they were checked when made.
            return true;
        }
        return check(IotAction.SUBSCRIBE, topic.toString(), clientId);
    }

    /** The iot:Connect check; Moquette's authenticator cannot see the certificate, so it runs after CONNACK. */
    boolean canConnect(String clientId) {
        return check(IotAction.CONNECT, clientId, clientId);
    }

    /**
     * The iot:Receive check of an answer of the fleet-provisioning API. AWS drops a message the subscriber may not
     * receive and keeps the connection, so a claim policy without iot:Receive leaves the device without its answer.
     */
    boolean canReceive(String clientId, String topic) {
        Optional<ClientIdentity> identity = identities.resolve(clientId);
        boolean allowed = identity.isPresent()
                && PolicyEvaluator.isAllowed(
                        policiesOf(identity.get()), IotAction.RECEIVE, topic, context(identity.get()));
        if (!allowed) {
            LOG.info("{} {} denied for client {}; message dropped", IotAction.RECEIVE.actionName(), topic, clientId);
        }
        return allowed;
    }

    private boolean check(IotAction action, String resource, String clientId) {
        Optional<ClientIdentity> identity = identities.resolve(clientId);
        boolean allowed = identity.isPresent()
                && PolicyEvaluator.isAllowed(policiesOf(identity.get()), action, resource, context(identity.get()));
        if (!allowed && identity.isEmpty() && !identities.isConnected(clientId)) {
            // Gone already (the connect check runs after CONNACK): dropping the client id now could only hit a
            // newer connection that reused it.
            return false;
        }
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
        Optional<X509Certificate> certificate =
                registry.certificates().find(identity.certificateId()).map(CertificateRecord::certificate);
        return new ConnectionContext(
                registry.arns().region(),
                registry.arns().accountId(),
                identity.clientId(),
                identity.certificateId(),
                thing.map(Thing::thingName).orElse(null),
                thing.map(Thing::thingTypeName).orElse(null),
                thing.map(Thing::attributes).orElse(Map.of()),
                certificate.map(CertificateNames::subject).orElse(Map.of()),
                certificate.map(CertificateNames::issuer).orElse(Map.of()),
                identities.sourceIp(identity.clientId()).orElse(null));
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
