package io.fleetprov.simulator.client;

import java.lang.reflect.Field;
import java.security.cert.Certificate;
import javax.net.ssl.SSLSession;

/**
 * Drops netty's copy of the server's certificate chain from a device's TLS session once the handshake is done. Every
 * OpenSSL session keeps the peer's chain as Java objects for its whole life (netty 4.1's
 * {@code ReferenceCountedOpenSslEngine.DefaultOpenSslSession.peerCerts}: the DER of each certificate and a wrapper),
 * the same broker chain again for each of thousands of connections, and nothing in the simulator reads it after the
 * server check, which runs during the handshake. Netty has no switch for it, so the field is reached by reflection,
 * here only (through {@code ExtendedOpenSslSession.wrapped}, the session an engine hands out on Java 8 and later);
 * {@code SharedDeviceTlsTest} fails if either moves.
 */
final class PeerChainRelease {

    private static final Certificate[] NONE = new Certificate[0];
    private static final Field WRAPPED = field("io.netty.handler.ssl.ExtendedOpenSslSession", "wrapped");
    private static final Field PEER_CERTS =
            field("io.netty.handler.ssl.ReferenceCountedOpenSslEngine$DefaultOpenSslSession", "peerCerts");

    private PeerChainRelease() {}

    /** Whether this netty has the fields this class goes through. */
    static boolean supported() {
        return WRAPPED != null && PEER_CERTS != null;
    }

    /** Forgets the peer chain of a netty OpenSSL session; other sessions are left as they are. */
    static void release(SSLSession session) {
        if (!supported()) {
            return;
        }
        try {
            Object inner = WRAPPED.getDeclaringClass().isInstance(session) ? WRAPPED.get(session) : session;
            if (PEER_CERTS.getDeclaringClass().isInstance(inner)) {
                PEER_CERTS.set(inner, NONE);
            }
        } catch (IllegalAccessException e) {
            // Both were made accessible when looked up; without them there is nothing to release.
        }
    }

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
