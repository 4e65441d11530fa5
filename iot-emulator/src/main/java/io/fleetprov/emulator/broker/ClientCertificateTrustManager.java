package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.CertificateIds;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.Registry;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides at the TLS handshake which client certificates may connect, as AWS IoT does: only certificates this
 * emulator issued, registered, and in a state that allows connecting (ACTIVE, or an unexpired claim). Validity is
 * judged with the emulator's clock, not the system's, so tests can move time.
 *
 * <p>The registry is asked first, by the certificate's id: the SHA-256 of its exact DER encoding, signature included.
 * A certificate that matches a record the CA signed ({@link CertificateRecord#signedByCa()}) is therefore byte for byte
 * the one the CA signed, so its signature is not verified again: that was the JDK's pure-Java P-256 on the MQTT event
 * loops, the broker's main CPU under load. A forged certificate (same names, another key or a bad signature) has
 * another DER, hence another id, and is refused as unregistered. Possession of the certificate's private key is still
 * proven in the handshake by the TLS engine itself (BoringSSL, or the JDK's), which checks the client's
 * CertificateVerify against the key in this same DER. Records not known to be signed by the CA (RegisterCertificate
 * WithoutCA, identities restored from files) keep the full check, on the registry's copy, whose result the JDK
 * caches.
 *
 * <p>Why not have BoringSSL verify the chain natively: netty-tcnative installs its certificate callback with BoringSSL's
 * {@code SSL_CTX_set_custom_verify}, which replaces BoringSSL's X.509 verification entirely, and offers no way to load
 * a trust store into it ({@code SSLContext.setCACertificateBio} only sets the CA names sent to clients); the registry
 * check needs the callback, so the two cannot be combined without forking tcnative.
 */
final class ClientCertificateTrustManager extends X509ExtendedTrustManager {

    private final CertificateAuthority ca;
    private final Registry registry;
    private final Clock clock;

    ClientCertificateTrustManager(CertificateAuthority ca, Registry registry, Clock clock) {
        this.ca = ca;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        // The DER of the presented certificate; netty hands it over unparsed, and nothing here needs it parsed.
        String certificateId = CertificateIds.of(chain[0]);
        CertificateRecord record = registry.certificates()
                .find(certificateId)
                .orElseThrow(() -> new CertificateException("certificate " + certificateId + " is not registered"));
        if (!record.signedByCa() && !ca.issued(record.certificate())) {
            throw new CertificateException("client certificate was not issued by this emulator's CA");
        }
        Instant now = clock.instant();
        if (!record.mayConnect(now)) {
            String why = now.isBefore(record.notAfter()) ? "is " + record.status() : "has expired";
            throw new CertificateException("certificate " + certificateId + " " + why);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the broker does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca.certificate()};
    }
}
