package io.fleetprov.simulator.client;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One OpenSSL (BoringSSL) client context for every device of a target, each connection presenting its own device's
 * key. Vert.x builds a TLS context per {@code MqttClient}, and a BoringSSL {@code SSL_CTX} with its Java wrapper,
 * cipher lists, verify and certificate callbacks and a session cache, costs far more than the connection itself:
 * profiled with a heap histogram and NMT on a 1,000-device soak, that was most of the simulator's memory per
 * connected device. Here Vert.x is handed a per-device {@link SSLEngineOptions} whose context factory returns a thin
 * view of the shared context; the view tags each engine it creates with its device's key manager, and the shared
 * context's key manager ({@link Router}) picks the key of the engine that asks.
 *
 * <p>The shared context keeps no client session cache: a resumed session carries the identity of the device whose
 * handshake created it, so one device must never resume another's. (With a context per device each device had its own
 * cache; a device reconnects with a full handshake now, as it does on its first connection.)
 */
final class SharedDeviceTls {

    private final Router router = new Router();
    private final SslContext context;

    SharedDeviceTls(TrustManager trust) {
        try {
            context = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.OPENSSL)
                    .keyManager(router)
                    .trustManager(trust)
                    // What Vert.x's own factory asks of OpenSSL when no cipher suite is configured.
                    .ciphers(OpenSsl.availableOpenSslCipherSuites())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the devices' OpenSSL context", e);
        }
        SSLSessionContext sessions = context.sessionContext();
        if (!(sessions instanceof OpenSslSessionContext openSsl)) {
            throw new IllegalStateException(
                    "not an OpenSSL context: " + context.getClass().getName());
        }
        openSsl.setSessionCacheEnabled(false);
    }

    /** The shared context itself (tests). */
    SslContext context() {
        return context;
    }

    /** Engine options for one device's Vert.x client: the shared context, with this device's key. */
    SSLEngineOptions engineOptions(DeviceKeyManager device) {
        return new DeviceEngineOptions(this, device);
    }

    /** Immutable, so a copy is itself (Vert.x copies options when a client is created). */
    private static final class DeviceEngineOptions extends SSLEngineOptions {
        private final SharedDeviceTls tls;
        private final DeviceKeyManager device;

        DeviceEngineOptions(SharedDeviceTls tls, DeviceKeyManager device) {
            this.tls = tls;
            this.device = device;
        }

        @Override
        public SSLEngineOptions copy() {
            return this;
        }

        /** Vert.x's key and trust options are not consulted: the key is the device's, the trust the target's. */
        @Override
        public SslContextFactory sslContextFactory() {
            return () -> new DeviceView(tls.context, tls.router, device);
        }
    }

    /** The shared context, tagging each engine it makes with one device's key. */
    private static final class DeviceView extends DelegatingSslContext {
        private final Router router;
        private final DeviceKeyManager device;

        DeviceView(SslContext shared, Router router, DeviceKeyManager device) {
            super(shared);
            this.router = router;
            this.device = device;
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            router.bind(engine, device);
        }
    }

    /**
     * The shared context's key manager: the engine that asks for a client certificate names the device, the alias
     * it returns names the device's key for the two calls that follow. Both maps hold weakly: an engine's entry goes
     * with its connection, an alias's with its device's key manager, so nothing here outlives a device.
     */
    static final class Router extends X509ExtendedKeyManager {
        private final Map<SSLEngine, DeviceKeyManager> engines = Collections.synchronizedMap(new WeakHashMap<>());
        private final Map<String, WeakReference<DeviceKeyManager>> aliases =
                Collections.synchronizedMap(new WeakHashMap<>());

        void bind(SSLEngine engine, DeviceKeyManager device) {
            engines.put(engine, device);
            aliases.put(device.alias(), new WeakReference<>(device));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            DeviceKeyManager device = engines.get(engine);
            // No device, no certificate: the broker then refuses the connection, as it must.
            return device == null ? null : device.chooseEngineClientAlias(keyTypes, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            DeviceKeyManager device = device(alias);
            return device == null ? null : device.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            DeviceKeyManager device = device(alias);
            return device == null ? null : device.getPrivateKey(alias);
        }

        private DeviceKeyManager device(String alias) {
            WeakReference<DeviceKeyManager> reference = alias == null ? null : aliases.get(alias);
            return reference == null ? null : reference.get();
        }

        /** Only engines carry a device; a socket never reaches this context. */
        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
