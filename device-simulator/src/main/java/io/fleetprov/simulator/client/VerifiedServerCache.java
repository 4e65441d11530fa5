package io.fleetprov.simulator.client;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's server-certificate check, remembered. Every device connects to the same broker and is shown the same
 * certificate chain, and the JDK's trust manager builds and verifies a PKIX path for each connection (on JDK 17's
 * pure-Java P-256: about 8 % of the simulator's CPU). A chain the JDK accepted is accepted again without that work
 * when everything the JDK's decision depended on is the same: the exact DER of every certificate (signatures
 * included, so a look-alike chain is a miss), the key-exchange type, the host connected to, the requested server
 * names and the endpoint identification algorithm (host-name check). Only validity in time can change between two
 * identical inputs, so each hit checks the dates of every certificate again. No revocation is checked, as by the
 * JDK's default. The TLS handshake still proves the server holds the key (CertificateVerify), whatever is cached.
 * Refusals are never cached.
 */
final class VerifiedServerCache extends X509ExtendedTrustManager {

    /** More distinct server chains than a target ever shows (one per broker host); beyond it, start over. */
    private static final int MAX_ENTRIES = 64;

    private final X509ExtendedTrustManager jdk;
    private final Clock clock;
    private final Map<Key, Validity> verified = new ConcurrentHashMap<>();

    VerifiedServerCache(X509ExtendedTrustManager jdk, Clock clock) {
        this.jdk = jdk;
        this.clock = clock;
    }

    private record Key(
            List<ByteBuffer> chain,
            String authType,
            String protocol,
            String host,
            List<SNIServerName> serverNames,
            String algorithm) {}

    /** The intersection of the chain's validity periods, in epoch milliseconds. */
    private record Validity(long notBefore, long notAfter) {
        static Validity of(X509Certificate[] chain) {
            long notBefore = Long.MIN_VALUE;
            long notAfter = Long.MAX_VALUE;
            for (X509Certificate certificate : chain) {
                notBefore = Math.max(notBefore, certificate.getNotBefore().getTime());
                notAfter = Math.min(notAfter, certificate.getNotAfter().getTime());
            }
            return new Validity(notBefore, notAfter);
        }

        void check(long now) throws CertificateException {
            if (now < notBefore) {
                throw new CertificateNotYetValidException("a certificate of the server's chain is not yet valid");
            }
            if (now > notAfter) {
                throw new CertificateExpiredException("a certificate of the server's chain has expired");
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        Key key = key(chain, authType, engine);
        Validity known = key == null ? null : verified.get(key);
        if (known != null) {
            known.check(clock.millis());
            return;
        }
        jdk.checkServerTrusted(chain, authType, engine);
        if (key != null) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(key, Validity.of(chain));
        }
    }

    /** Null when the inputs cannot be pinned down (no chain, no engine): the JDK then decides every time. */
    private static Key key(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (chain == null || chain.length == 0 || engine == null) {
            return null;
        }
        List<ByteBuffer> der = new ArrayList<>(chain.length);
        try {
            for (X509Certificate certificate : chain) {
                der.add(ByteBuffer.wrap(certificate.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new CertificateException("unreadable server certificate", e);
        }
        SSLParameters parameters = engine.getSSLParameters();
        List<SNIServerName> serverNames = parameters.getServerNames();
        SSLSession handshake = engine.getHandshakeSession();
        return new Key(
                List.copyOf(der),
                authType,
                handshake == null ? null : handshake.getProtocol(),
                engine.getPeerHost(),
                serverNames == null ? List.of() : List.copyOf(serverNames),
                parameters.getEndpointIdentificationAlgorithm());
    }

    // The socket and engine-less forms serve MQTT 5 (Paho, JDK sockets, small runs): always the JDK.

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        jdk.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        jdk.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        jdk.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }
}
