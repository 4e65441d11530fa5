package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The broker's real use of these certificates: mutual TLS on loopback, host name checked, nothing but the CA trusted. */
class TlsHandshakeTest {
    private static final char[] PASSWORD = "test".toCharArray();

    // TLS checks validity against the wall clock, so this CA must use it too.
    private final CertificateAuthority ca = CertificateAuthority.ephemeral(Clock.systemUTC());

    @Test
    void mutualTlsWithIssuedCertificatesAndHostNameCheck() throws Exception {
        IssuedCertificate server = ca.issueServerCertificate(List.of());
        KeyPair device = KeyAlgorithm.EC_P256.generate();
        X509Certificate deviceCertificate = ca.issueClientCertificate(
                device.getPublic(), "device-42", Instant.now().plus(Duration.ofHours(1)));

        String peer = handshake(server, context(device, deviceCertificate));

        assertThat(peer).isEqualTo("CN=device-42");
    }

    @Test
    void clientFromAnotherCaIsRefused() throws Exception {
        IssuedCertificate server = ca.issueServerCertificate(List.of());
        CertificateAuthority stranger = CertificateAuthority.ephemeral(Clock.systemUTC());
        KeyPair device = KeyAlgorithm.EC_P256.generate();
        X509Certificate foreign = stranger.issueClientCertificate(
                device.getPublic(), "intruder", Instant.now().plus(Duration.ofHours(1)));
        // The client trusts our CA (so the server side is fine) but presents a certificate our CA never issued.
        SSLContext client = context(device, foreign);

        assertThatThrownBy(() -> handshake(server, client))
                .isInstanceOfAny(SSLHandshakeException.class, IOException.class);
    }

    /** Runs one handshake on loopback; returns the client's subject as the server saw it. */
    private String handshake(IssuedCertificate server, SSLContext clientContext) throws Exception {
        SSLContext serverContext = context(server.keyPair(), server.certificate());
        try (SSLServerSocket listener = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> seenByServer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    String subject = ((X509Certificate) accepted.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal()
                            .getName();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return subject;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (SSLSocket socket =
                    (SSLSocket) clientContext.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // host name must be in the SANs
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                // TLS 1.3 reports a refused client certificate only on the first read.
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            }
            return seenByServer.get(10, TimeUnit.SECONDS);
        }
    }

    private SSLContext context(KeyPair keyPair, X509Certificate certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", keyPair.getPrivate(), PASSWORD, new Certificate[] {certificate, ca.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
