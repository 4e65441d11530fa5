package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.policy.IotAction;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import io.netty.channel.Channel;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's decisions about connections that need the client certificate, which Moquette never sees: who may
 * connect with a client id (before the connection can take the client id over), who owns a persistent session, who
 * may receive a message, and which live connections must go because their certificate no longer may connect.
 */
final class ConnectionAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

    /** The outcome of a CONNECT: the identity and connection token it is admitted with, or why it is refused. */
    record Decision(ClientIdentity identity, String token, String refusal) {

        boolean admitted() {
            return refusal == null;
        }

        static Decision refused(String why) {
            return new Decision(null, null, why);
        }
    }

    private final Registry registry;
    private final PolicyAuthorizer policies;
    private final ClientIdentities identities;
    private final Clock clock;
    private final BiConsumer<Channel, ClientIdentity> revoke;
    /** Client id of a persistent session → the certificate that opened it. */
    private final Map<String, String> sessionOwners = new ConcurrentHashMap<>();

    private final Map<Channel, ClientIdentity> live = new ConcurrentHashMap<>();

    /**
     * @param revoke closes a live connection whose certificate was deactivated, revoked or deleted
     */
    ConnectionAdmission(
            Registry registry,
            PolicyAuthorizer policies,
            ClientIdentities identities,
            Clock clock,
            BiConsumer<Channel, ClientIdentity> revoke) {
        this.registry = registry;
        this.policies = policies;
        this.identities = identities;
        this.clock = clock;
        this.revoke = revoke;
    }

    /**
     * Decides a CONNECT. The certificate is judged against the registry again (a resumed TLS session skips the
     * handshake's certificate check), then iot:Connect for the client id, then the owner of a persistent session of
     * the client id (see {@link #claimSession}).
     */
    Decision admit(Optional<X509Certificate> certificate, String clientId, boolean cleanSession, String sourceIp) {
        if (certificate.isEmpty()) {
            return Decision.refused("no client certificate");
        }
        String certificateId = CertificateIds.of(certificate.get());
        Optional<CertificateRecord> record = registry.certificates().find(certificateId);
        if (record.isEmpty() || !record.get().mayConnect(clock.instant())) {
            return Decision.refused("certificate " + certificateId + " may not connect");
        }
        ClientIdentity identity = ClientIdentities.identityOf(clientId, record.get(), sourceIp);
        if (!policies.allows(identity, IotAction.CONNECT, clientId)) {
            return Decision.refused("iot:Connect denied");
        }
        if (!claimSession(clientId, certificateId, cleanSession)) {
            return Decision.refused("persistent session of " + clientId + " belongs to another certificate");
        }
        return new Decision(identity, identities.tokenFor(identity), null);
    }

    /**
     * A persistent session belongs to the certificate that opened it for as long as that certificate may connect:
     * another certificate is refused the client id, whether it asks for a clean session or not, so it can neither
     * read the owner's queued messages nor discard them, nor drop the owner's connection.
     */
    private boolean claimSession(String clientId, String certificateId, boolean cleanSession) {
        String owner = sessionOwners.compute(clientId, (id, current) -> {
            if (current != null && !current.equals(certificateId) && mayStillConnect(current)) {
                return current;
            }
            return cleanSession ? null : certificateId;
        });
        return owner == null || owner.equals(certificateId);
    }

    private boolean mayStillConnect(String certificateId) {
        return registry.certificates()
                .find(certificateId)
                .filter(r -> r.mayConnect(clock.instant()))
                .isPresent();
    }

    /** Whether {@code identity} may receive a message on {@code topic}, judged by its policies as they are now. */
    boolean mayReceive(ClientIdentity identity, String topic) {
        return policies.allows(identity, IotAction.RECEIVE, topic);
    }

    void opened(Channel channel, ClientIdentity identity) {
        live.put(channel, identity);
        channel.closeFuture().addListener(f -> live.remove(channel));
    }

    /**
     * Closes every live connection whose certificate was made INACTIVE or REVOKED or deleted since it connected. A
     * claim that was purged after it expired keeps its connection, as an expired certificate does on AWS. The
     * registry announces thing changes only, so the broker runs this twice a second (one look-up per connection)
     * rather than widen the registry's listener for the broker alone.
     */
    void dropRevoked() {
        live.forEach((channel, identity) -> {
            Optional<CertificateRecord> record = registry.certificates().find(identity.certificateId());
            boolean revoked =
                    record.map(r -> r.status() != CertificateStatus.ACTIVE).orElse(!identity.isClaim());
            if (revoked && live.remove(channel, identity)) {
                LOG.info(
                        "certificate {} may no longer connect; closing the connection of client {}",
                        identity.certificateId(),
                        identity.clientId());
                revoke.accept(channel, identity);
            }
        });
    }

    int liveConnections() {
        return live.size();
    }
}
