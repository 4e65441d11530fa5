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

    /** A token unique to one accepted connection of {@code identity}. */
    String tokenFor(ClientIdentity identity) {
        return TOKEN_PREFIX + connections.incrementAndGet() + "/" + identity.certificateId();
    }

    /** The certificate id named by a connection token; empty for anything else. */
    static Optional<String> certificateIdOf(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        int slash = token.indexOf('/', TOKEN_PREFIX.length());
        return slash < 0 ? Optional.empty() : Optional.of(token.substring(slash + 1));
    }

    /**
     * The identity of the connection whose token is {@code token}, as long as its certificate is registered; the
     * client id is the one the connection uses.
     */
    Optional<ClientIdentity> of(String token, String clientId) {
        return certificateIdOf(token)
                .flatMap(registry.certificates()::find)
                .map(record -> identityOf(clientId, record));
    }

    static ClientIdentity identityOf(String clientId, CertificateRecord record) {
        return new ClientIdentity(clientId, record.certificateId(), record.claimTemplate());
    }
}
