package io.fleetprov.claims.config;

import io.netty.handler.ssl.OpenSsl;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.smallrye.reactive.messaging.ClientCustomizer;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Serves HTTPS and runs the MQTT clients (the outbox relay and its echo) on BoringSSL instead of the JDK's
 * SSLEngine: under the demo, TLS records on the JDK engine were the largest single item of the service's CPU.
 * Certificates, trust, protocols and hostname verification stay what the TLS registry configures; only the engine
 * changes. {@code fleetprov.tls.engine=jdk}, or a platform where netty-tcnative does not load, keeps the JDK's.
 */
@Singleton
public class OpenSslEngines {

    private static final Logger LOG = Logger.getLogger(OpenSslEngines.class);

    private final boolean openSsl;
    /** What each TLS endpoint was given: "https" and the MQTT channels' names (logs, tests). */
    private final Map<String, String> engineByEndpoint = new ConcurrentHashMap<>();

    public OpenSslEngines(ClaimServiceConfig config) {
        boolean wanted = config.tls().engine() == ClaimServiceConfig.TlsEngine.OPENSSL;
        this.openSsl = wanted && OpenSSLEngineOptions.isAvailable();
        if (wanted && !openSsl) {
            LOG.warnf(
                    "fleetprov.tls.engine=openssl, but netty-tcnative does not load here (%s): using the JDK's TLS",
                    OpenSsl.unavailabilityCause() == null
                            ? "unknown cause"
                            : OpenSsl.unavailabilityCause().getMessage());
        }
    }

    /** Whether TLS runs on OpenSSL/BoringSSL. */
    public boolean openSsl() {
        return openSsl;
    }

    String engineName() {
        return openSsl ? OpenSsl.versionString() : "JDK";
    }

    /** The engine each TLS endpoint was configured with so far: "https", and each MQTT channel by name. */
    public Map<String, String> engineByEndpoint() {
        return Map.copyOf(engineByEndpoint);
    }

    void applied(String endpoint) {
        engineByEndpoint.put(endpoint, engineName());
    }

    /** The HTTPS server (the profile "https"). */
    @ApplicationScoped
    public static class HttpsServer implements HttpServerOptionsCustomizer {

        private final OpenSslEngines engines;

        public HttpsServer(OpenSslEngines engines) {
            this.engines = engines;
        }

        @Override
        public void customizeHttpsServer(HttpServerOptions options) {
            if (engines.openSsl()) {
                options.setSslEngineOptions(new OpenSSLEngineOptions());
            }
            engines.applied("https");
            LOG.infof("HTTPS TLS engine: %s", engines.engineName());
        }
    }

    /** Every MQTT channel that uses TLS (fleet-events, fleet-events-echo). */
    @ApplicationScoped
    public static class MqttClients implements ClientCustomizer<MqttClientSessionOptions> {

        private final OpenSslEngines engines;

        public MqttClients(OpenSslEngines engines) {
            this.engines = engines;
        }

        @Override
        public MqttClientSessionOptions customize(
                String channel, Config channelConfig, MqttClientSessionOptions options) {
            if (options.isSsl()) {
                if (engines.openSsl()) {
                    options.setSslEngineOptions(new OpenSSLEngineOptions());
                }
                engines.applied(channel);
                LOG.debugf("MQTT channel %s: TLS engine %s", channel, engines.engineName());
            }
            return options;
        }
    }
}
