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
        X509Certificate certificate = chain[0];
        if (!ca.issued(certificate)) {
            throw new CertificateException("client certificate was not issued by this emulator's CA");
        }
        String certificateId = CertificateIds.of(certificate);
        CertificateRecord record = registry.certificates()
                .find(certificateId)
                .orElseThrow(() -> new CertificateException("certificate " + certificateId + " is not registered"));
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
