package io.fleetprov.simulator.limit;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The emulator broker's client-certificate check, the same steps in the same order, for timing the handshake's server
 * side (t4). The broker's own ({@code io.fleetprov.emulator.broker.ClientCertificateTrustManager}) is not reachable
 * from here: iot-emulator is only a test dependency of the simulator, and the class is package-private. What it does,
 * and so what this does: no CA chain is built or verified; the presented leaf's certificate id (SHA-256 of its exact
 * DER, as AWS IoT's certificateId) is looked up in the registry (a hash map under one lock, as the emulator's
 * certificate store); a record the CA signed is trusted as those exact bytes, anything else must verify against the
 * CA's key; then the record must allow connecting now (ACTIVE, within its validity dates, by the given clock). The
 * handshake itself (BoringSSL or the JDK's) still proves possession of the key through CertificateVerify.
 *
 * <p>Differences with the emulator: the registry here holds only the certificates registered for the measurement (the
 * emulator's holds every certificate of the run, in the same kind of map, so a lookup costs the same), and a record
 * carries only what the check reads.
 */
final class BrokerClientTrust extends X509ExtendedTrustManager {

    /** What the broker's check reads from a certificate record. */
    private record Registered(X509Certificate certificate, boolean signedByCa, boolean active) {
        boolean mayConnect(Instant now) {
            return active
                    && now.isBefore(certificate.getNotAfter().toInstant())
                    && !now.isBefore(certificate.getNotBefore().toInstant());
        }
    }

    private final X509Certificate ca;
    private final Clock clock;
    private final Object monitor = new Object();
    private final Map<String, Registered> certificates = new HashMap<>();

    BrokerClientTrust(X509Certificate ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /** Registers a certificate the CA issued (CreateKeysAndCertificate, CreateCertificateFromCsr, a claim). */
    void registerIssued(X509Certificate certificate) {
        String id;
        try {
            id = certificateId(certificate);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
        synchronized (monitor) {
            certificates.put(id, new Registered(certificate, true, true));
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        String certificateId = certificateId(chain[0]);
        Registered record;
        synchronized (monitor) {
            record = certificates.get(certificateId);
        }
        if (record == null) {
            throw new CertificateException("certificate " + certificateId + " is not registered");
        }
        if (!record.signedByCa() && !issued(record.certificate())) {
            throw new CertificateException("client certificate was not issued by this CA");
        }
        if (!record.mayConnect(clock.instant())) {
            throw new CertificateException("certificate " + certificateId + " may not connect");
        }
    }

    private boolean issued(X509Certificate candidate) {
        try {
            candidate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** AWS IoT's certificateId: the SHA-256 of the DER, 64 lowercase hex digits (the emulator's CertificateIds). */
    static String certificateId(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
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
        return new X509Certificate[] {ca};
    }
}
