package io.fleetprov.simulator.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Where devices connect: the broker's host and port, and the CA to trust. A null {@code caPem} trusts the JVM's
 * default store, which already holds the Amazon root CAs that AWS IoT Core's ATS endpoints chain to. The CA is
 * parsed once here, not once per connection: every device shares this target's trust manager, which remembers the
 * server chains it verified ({@link VerifiedServerCache}), and, on OpenSSL, one TLS context ({@link SharedDeviceTls}).
 */
public final class MqttTarget {

    /** AWS IoT Core's MQTT-over-TLS port; DescribeEndpoint on AWS returns only a host. */
    public static final int AWS_MQTT_PORT = 8883;

    private final String host;
    private final int port;
    private final String caPem;
    private final boolean openSsl;
    private final TrustOptions trust;
    private final TrustManager[] trustManagers;
    private final SharedDeviceTls sharedTls;

    /**
     * @param openSsl use Netty's OpenSSL engine (netty-tcnative) instead of the JDK's TLS; about four times
     *                cheaper per handshake, so it matters when thousands of devices connect
     */
    public MqttTarget(String host, int port, String caPem, boolean openSsl) {
        this.host = Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
        this.port = port;
        this.caPem = caPem;
        this.openSsl = openSsl;
        VerifiedServerCache serverCheck = new VerifiedServerCache(jdkTrustManager(caPem), Clock.systemUTC());
        this.trust = TrustOptions.wrap(serverCheck);
        this.trustManagers = new TrustManager[] {serverCheck};
        this.sharedTls = openSsl && OpenSsl.isAvailable() ? new SharedDeviceTls(serverCheck) : null;
    }

    /**
     * Parses what DescribeEndpoint returns: the emulator answers {@code host:port}, AWS only a host (port 8883).
     */
    public static MqttTarget fromEndpoint(String endpointAddress, String caPem, boolean openSsl) {
        String address = endpointAddress.trim();
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return new MqttTarget(
                    address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), caPem, openSsl);
        }
        return new MqttTarget(address, AWS_MQTT_PORT, caPem, openSsl);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String caPem() {
        return caPem;
    }

    public boolean openSsl() {
        return openSsl;
    }

    /** The shared trust of every connection to this target: the CA, or the JVM's default trust store. */
    TrustOptions trustOptions() {
        return trust;
    }

    /** The same trust for a JDK {@code SSLContext} (MQTT 5). */
    TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    /** The OpenSSL context every device of this target shares; null for the JDK's TLS or without netty-tcnative. */
    SharedDeviceTls sharedTls() {
        return sharedTls;
    }

    /**
     * Makes TLS client engines for one device exactly as its MQTT 3.1.1 connections get them (see {@code
     * NettyMqtt3Transport}): on OpenSSL, a view of this target's shared context carrying the device's key; on the
     * JDK's TLS, a context of the device's key and this target's trust. Host-name check on. Each engine is one
     * connection, the caller's to release (the transport's {@code SslHandler} releases it with its channel). The
     * machine limit's t4 times the handshake through this too, so it is the transport's path by construction.
     */
    public Supplier<SSLEngine> deviceEngines(DeviceCredentials credentials) {
        DeviceKeyManager key = DeviceKeyManager.of(credentials);
        SslContext context;
        try {
            if (openSsl) {
                if (sharedTls == null) {
                    throw new IllegalStateException("OpenSSL TLS requested but netty-tcnative does not load");
                }
                context = sharedTls.engineOptions(key).sslContextFactory().create();
            } else {
                context = SslContextBuilder.forClient()
                        .sslProvider(SslProvider.JDK)
                        .keyManager(key)
                        .trustManager(trustManagers[0])
                        .build();
            }
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the device's TLS context", e);
        }
        return () -> {
            SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, host, port);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            return engine;
        };
    }

    public String endpoint() {
        return host + ":" + port;
    }

    /** The JDK's PKIX trust manager, trusting {@code caPem}, or the JVM's default store when it is null. */
    private static X509ExtendedTrustManager jdkTrustManager(String caPem) {
        TrustManagerFactory factory = caPem == null ? defaultTrustManagerFactory() : trustManagerFactory(caPem);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK offers no X.509 trust manager");
    }

    private static TrustManagerFactory defaultTrustManagerFactory() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JVM's default trust store", e);
        }
    }

    private static TrustManagerFactory trustManagerFactory(String caPem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + n++, ca);
            }
            if (n == 0) {
                throw new IllegalArgumentException("no certificate in the CA PEM");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("unreadable CA certificate(s)", e);
        }
    }

    @Override
    public String toString() {
        return "MqttTarget[" + endpoint() + (caPem == null ? ", default trust" : ", custom CA")
                + (openSsl ? ", OpenSSL" : "") + "]";
    }
}
