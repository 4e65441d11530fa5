package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.simulator.limit.HandshakeCost;
import io.fleetprov.testing.TestClock;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real BoringSSL handshakes in memory: devices sharing one client context each present their own certificate, and
 * the remembered server check accepts only what the JDK accepted for the same inputs.
 */
class SharedDeviceTlsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final Authority ca = new Authority("CN=fleetprov test CA");
    private final KeyPair serverKey = DeviceKeyType.EC_P256.generate();
    private final X509Certificate serverCert = ca.issue(serverKey, "CN=broker", "localhost", 2);
    private final SslContext server = server(serverKey, serverCert, ca);
    private final TestClock clock = TestClock.stoppedAt(NOW);
    private final AtomicInteger jdkChecks = new AtomicInteger();
    private VerifiedServerCache serverCheck;
    private SharedDeviceTls tls;

    @BeforeEach
    void setUp() throws Exception {
        serverCheck = new VerifiedServerCache(counting(jdkTrusting(ca.certificate)), clock);
        tls = new SharedDeviceTls(serverCheck);
    }

    @Test
    void eachConnectionPresentsItsOwnDevicesCertificateAndNoSessionIsShared() throws Exception {
        Device a = new Device(ca, "CN=device-a", 10);
        Device b = new Device(ca, "CN=device-b", 11);
        SslContext viewA = view(a);
        SslContext viewB = view(b);
        // Engines made before either handshake, handshaken in the other order: the key follows the engine.
        SSLEngine clientA = client(viewA, "localhost");
        SSLEngine clientB = client(viewB, "localhost");

        assertThat(handshake(clientB).getSession().getPeerCertificates()[0]).isEqualTo(b.certificate);
        assertThat(handshake(clientA).getSession().getPeerCertificates()[0]).isEqualTo(a.certificate);
        // A device reconnecting after another: its own certificate again, in a full handshake.
        assertThat(handshake(client(viewB, "localhost")).getSession().getPeerCertificates()[0])
                .isEqualTo(b.certificate);
        assertThat(((OpenSslSessionContext) tls.context().sessionContext()).isSessionCacheEnabled())
                .isFalse();
    }

    @Test
    void theServersChainIsForgottenAfterTheHandshakeAndTheConnectionStillCarriesData() throws Exception {
        assertThat(PeerChainRelease.supported())
                .as("netty's OpenSSL session no longer has the peerCerts field PeerChainRelease clears")
                .isTrue();
        SSLEngine client = client(view(new Device(ca, "CN=device-a", 10)), "localhost");
        SSLEngine broker = server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            HandshakeCost.handshake(client, broker);
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(serverCert);

            PeerChainRelease.release(client.getSession());

            assertThatThrownBy(() -> client.getSession().getPeerCertificates())
                    .isInstanceOf(SSLPeerUnverifiedException.class);
            ByteBuffer record = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            client.wrap(ByteBuffer.wrap("PINGREQ".getBytes(StandardCharsets.US_ASCII)), record);
            record.flip();
            ByteBuffer received = ByteBuffer.allocate(broker.getSession().getApplicationBufferSize());
            broker.unwrap(record, received);
            received.flip();
            assertThat(StandardCharsets.US_ASCII.decode(received).toString()).isEqualTo("PINGREQ");
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(broker);
        }
    }

    @Test
    void anEngineOfNoDeviceHasNoCertificateToPresentAndIsRefused() throws Exception {
        Device a = new Device(ca, "CN=device-a", 10);
        SSLEngine orphan = tls.context().newEngine(ByteBufAllocator.DEFAULT, "localhost", 8883);

        assertThatThrownBy(() -> handshake(orphan)).isInstanceOf(SSLException.class);
        // The devices already connected or connecting keep their identity.
        assertThat(handshake(client(view(a), "localhost")).getSession().getPeerCertificates()[0])
                .isEqualTo(a.certificate);
    }

    @Test
    void theSameServerChainIsVerifiedOnceAndItsDatesOnEveryConnection() throws Exception {
        SslContext device = view(new Device(ca, "CN=device-a", 10));
        handshake(client(device, "localhost"));
        handshake(client(device, "localhost"));
        assertThat(jdkChecks).hasValue(1);

        clock.advance(Duration.ofDays(400)); // past the server certificate's notAfter
        assertThatThrownBy(() -> handshake(client(device, "localhost"))).isInstanceOf(SSLException.class);
    }

    @Test
    void aLookAlikeServerIsRefusedAfterTheGenuineOneWasRemembered() throws Exception {
        SslContext device = view(new Device(ca, "CN=device-a", 10));
        handshake(client(device, "localhost"));

        // Same CA name, same server name; another key signs both.
        Authority impostor = new Authority("CN=fleetprov test CA");
        KeyPair fakeKey = DeviceKeyType.EC_P256.generate();
        SslContext fake = server(fakeKey, impostor.issue(fakeKey, "CN=broker", "localhost", 2), ca);
        assertThatThrownBy(() -> handshake(client(device, "localhost"), fake)).isInstanceOf(SSLException.class);
        // The genuine server is still trusted.
        handshake(client(device, "localhost"));
    }

    @Test
    void aRememberedChainIsStillCheckedAgainstTheHostConnectedTo() throws Exception {
        SslContext device = view(new Device(ca, "CN=device-a", 10));
        handshake(client(device, "localhost"));

        assertThatThrownBy(() -> handshake(client(device, "broker.example.com")))
                .isInstanceOf(SSLException.class);
        handshake(client(device, "localhost"));
        assertThat(jdkChecks).hasValue(2);
    }

    private SslContext view(Device device) throws SSLException {
        return tls.engineOptions(device.keys).sslContextFactory().create();
    }

    /** A client engine as Vert.x configures it: TLS 1.2 and 1.3, host-name check on. */
    private static SSLEngine client(SslContext context, String host) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, host, 8883);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    private SSLEngine handshake(SSLEngine client) throws SSLException {
        return handshake(client, server);
    }

    /** Runs a handshake to the end; returns the server's engine. */
    private static SSLEngine handshake(SSLEngine client, SslContext serverContext) throws SSLException {
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        try {
            HandshakeCost.handshake(client, server);
            return server;
        } finally {
            ReferenceCountUtil.release(client);
        }
    }

    /** A broker requiring a client certificate from {@code clients}, resuming sessions if a client offers one. */
    private static SslContext server(KeyPair key, X509Certificate certificate, Authority clients) {
        try {
            return SslContextBuilder.forServer(key.getPrivate(), certificate)
                    .sslProvider(SslProvider.OPENSSL)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(clients.certificate)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509ExtendedTrustManager jdkTrusting(X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /** The JDK's trust manager, counting the server checks that reach it. */
    private X509ExtendedTrustManager counting(X509ExtendedTrustManager jdk) {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                jdkChecks.incrementAndGet();
                jdk.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                    throws CertificateException {
                jdk.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                jdk.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                    throws CertificateException {
                jdk.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        };
    }

    private static final class Device {
        final X509Certificate certificate;
        final DeviceKeyManager keys;

        Device(Authority ca, String subject, long serial) {
            KeyPair key = DeviceKeyType.EC_P256.generate();
            this.certificate = ca.issue(key, subject, null, serial);
            this.keys = DeviceKeyManager.of(new DeviceCredentials(
                    "id-" + serial,
                    PemCodec.write("CERTIFICATE", encoded(certificate)),
                    PemCodec.pkcs8(key.getPrivate())));
        }

        private static byte[] encoded(X509Certificate certificate) {
            try {
                return certificate.getEncoded();
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A self-signed P-256 CA valid for a year from {@link #NOW}. */
    private static final class Authority {
        final KeyPair key = DeviceKeyType.EC_P256.generate();
        final X500Name name;
        final X509Certificate certificate;

        Authority(String name) {
            this.name = new X500Name(name);
            this.certificate = build(name, key, null, BigInteger.ONE, true);
        }

        X509Certificate issue(KeyPair subject, String subjectName, String dnsName, long serial) {
            return build(subjectName, subject, dnsName, BigInteger.valueOf(serial), false);
        }

        private X509Certificate build(
                String subjectName, KeyPair subject, String dnsName, BigInteger serial, boolean ca) {
            try {
                var builder = new JcaX509v3CertificateBuilder(
                        name,
                        serial,
                        Date.from(NOW.minus(Duration.ofDays(1))),
                        Date.from(NOW.plus(Duration.ofDays(365))),
                        new X500Name(subjectName),
                        subject.getPublic());
                if (ca) {
                    builder.addExtension(
                            Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
                }
                if (dnsName != null) {
                    builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
                }
                return new JcaX509CertificateConverter()
                        .getCertificate(
                                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
