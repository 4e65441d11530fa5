package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.moquette.BrokerInternals;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a connected client id to the certificate it presented: client id → peer address (Moquette) → TLS engine
 * (ours) → certificate. The answer is cached per client id and peer address, so a reconnect from another address
 * is looked up afresh.
 */
final class ClientIdentities {

    private record Cached(InetSocketAddress peer, ClientIdentity identity) {}

    private final BrokerInternals sessions;
    private final PeerTrackingSslContext tls;
    private final Registry registry;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ClientIdentities(BrokerInternals sessions, PeerTrackingSslContext tls, Registry registry) {
        this.sessions = sessions;
        this.tls = tls;
        this.registry = registry;
    }

    /** Whether a connection currently holds this client id. */
    boolean isConnected(String clientId) {
        return clientId != null && sessions.remoteAddress(clientId).isPresent();
    }

    /** The client's IP address as {@code aws:SourceIp} gives it; empty when the client is not connected. */
    Optional<String> sourceIp(String clientId) {
        return clientId == null
                ? Optional.empty()
                : sessions.remoteAddress(clientId)
                        .map(InetSocketAddress::getAddress)
                        .map(java.net.InetAddress::getHostAddress);
    }

    Optional<ClientIdentity> resolve(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        Optional<InetSocketAddress> peer = sessions.remoteAddress(clientId);
        if (peer.isEmpty()) {
            return Optional.empty();
        }
        Cached cached = cache.get(clientId);
        if (cached != null && cached.peer().equals(peer.get())) {
            return Optional.of(cached.identity());
        }
        Optional<ClientIdentity> identity = tls.peerCertificate(peer.get())
                .map(CertificateIds::of)
                .flatMap(registry.certificates()::find)
                .map(record -> identityOf(clientId, record));
        identity.ifPresent(id -> cache.put(clientId, new Cached(peer.get(), id)));
        return identity;
    }

    /**
     * Called when a connection of this client id ends. With duplicate client ids the end of the old connection
     * may be reported after the new one started, so only an entry for an address no longer connected goes.
     */
    void forget(String clientId) {
        cache.computeIfPresent(
                clientId,
                (id, cached) ->
                        sessions.remoteAddress(id).filter(cached.peer()::equals).isPresent() ? cached : null);
    }

    private static ClientIdentity identityOf(String clientId, CertificateRecord record) {
        return new ClientIdentity(clientId, record.certificateId(), record.claimTemplate());
    }
}
