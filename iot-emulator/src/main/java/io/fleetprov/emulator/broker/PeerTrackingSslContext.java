package io.fleetprov.emulator.broker;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSessionContext;

/**
 * Moquette 0.17 tells its plugins a client's id but not its certificate. This context remembers the TLS engine
 * of every connection by peer address, so the client certificate can be found from the address Moquette keeps
 * for a client id. Everything else is delegated.
 */
final class PeerTrackingSslContext extends SslContext {

    private final SslContext delegate;
    private final Map<String, SSLEngine> engines = new ConcurrentHashMap<>();

    PeerTrackingSslContext(SslContext delegate) {
        this.delegate = delegate;
    }

    /** The verified client certificate of the connection from this peer address, if its handshake finished. */
    Optional<X509Certificate> peerCertificate(InetSocketAddress peer) {
        SSLEngine engine = engines.get(key(peer.getHostString(), peer.getPort()));
        if (engine == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** Drops engines of connections that are closed (including failed handshakes). */
    void forgetClosed() {
        engines.values().removeIf(e -> e.isInboundDone() && e.isOutboundDone());
    }

    int trackedConnections() {
        return engines.size();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        SSLEngine engine = delegate.newEngine(alloc, peerHost, peerPort);
        engines.put(key(peerHost, peerPort), engine);
        return engine;
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return delegate.newEngine(alloc);
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }

    @Override
    public boolean isClient() {
        return delegate.isClient();
    }

    @Override
    @SuppressWarnings("deprecation")
    public List<String> cipherSuites() {
        return delegate.cipherSuites();
    }

    @Override
    public long sessionCacheSize() {
        return delegate.sessionCacheSize();
    }

    @Override
    public long sessionTimeout() {
        return delegate.sessionTimeout();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return delegate.applicationProtocolNegotiator();
    }

    @Override
    public SSLSessionContext sessionContext() {
        return delegate.sessionContext();
    }
}
