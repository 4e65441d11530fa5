package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.Registry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who is behind each connection. Moquette 0.17 tells its plugins a client id and the CONNECT's user name, never the
 * certificate, and looking a certificate up later by client id races with the client id changing hands. So the
 * {@link ConnectionGate}, which sees the certificate of its own connection, replaces the CONNECT's user name with a
 * connection token naming that certificate, and every callback Moquette makes for that connection (publish and
 * subscribe checks, connect, disconnect and publish notifications) carries it. Nothing in the emulator read the
 * user name a client sent (devices authenticate with their certificate; the device SDK sends its name and version).
 */
final class ClientIdentities {

    private static final String TOKEN_PREFIX = "fleetprov-connection/";

    private final Registry registry;
    private final AtomicLong connections = new AtomicLong();

    ClientIdentities(Registry registry) {
        this.registry = registry;
    }

    /**
     * A token unique to one accepted connection of {@code identity}: {@code fleetprov-connection/<n>/<ip>/<certificate
     * id>} (an IP address, v4 or v6, has no {@code /}).
     */
    String tokenFor(ClientIdentity identity) {
        String ip = identity.sourceIp() == null ? "" : identity.sourceIp();
        return TOKEN_PREFIX + connections.incrementAndGet() + "/" + ip + "/" + identity.certificateId();
    }

    /** The certificate id named by a connection token; empty for anything else. */
    static Optional<String> certificateIdOf(String token) {
        return part(token, 2);
    }

    /** The IP address the connection came from, as {@code aws:SourceIp} gives it; empty for anything else. */
    static Optional<String> sourceIpOf(String token) {
        return part(token, 1).filter(ip -> !ip.isEmpty());
    }

    private static Optional<String> part(String token, int index) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = token.substring(TOKEN_PREFIX.length()).split("/", -1);
        return parts.length == 3 ? Optional.of(parts[index]) : Optional.empty();
    }

    /**
     * The identity of the connection whose token is {@code token}, as long as its certificate is registered; the
     * client id is the one the connection uses.
     */
    Optional<ClientIdentity> of(String token, String clientId) {
        return certificateIdOf(token)
                .flatMap(registry.certificates()::find)
                .map(record -> identityOf(clientId, record, sourceIpOf(token).orElse(null)));
    }

    static ClientIdentity identityOf(String clientId, CertificateRecord record, String sourceIp) {
        return new ClientIdentity(clientId, record.certificateId(), record.claimTemplate(), sourceIp);
    }
}
