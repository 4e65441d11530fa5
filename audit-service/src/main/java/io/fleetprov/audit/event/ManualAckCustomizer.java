package io.fleetprov.audit.event;

import io.fleetprov.audit.config.AuditConfig;
import io.netty.handler.ssl.OpenSsl;
import io.smallrye.reactive.messaging.ClientCustomizer;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The MQTT connector lets Vert.x acknowledge a QoS 1 message as soon as it arrives. The audit log must only
 * acknowledge what it has committed, so auto-ack is switched off and {@link EventConsumer} acks after the commit.
 *
 * <p>With {@code audit.mqtt.tls-engine=openssl}, the default, the client's TLS runs on BoringSSL where netty-tcnative
 * loads: decrypting the received records on the JDK's engine cost a fifth of the service's CPU under ingest load. Only
 * the engine changes; certificates, trust and host name verification stay the TLS registry's. The mid-stream close
 * once seen on BoringSSL was the MQTT decoder's, not the engine's (AuditConfig.Mqtt#tlsEngine, MqttFramingTest).
 */
@ApplicationScoped
public class ManualAckCustomizer implements ClientCustomizer<MqttClientSessionOptions> {

    private static final Logger LOG = Logger.getLogger(ManualAckCustomizer.class);

    private final boolean openSsl;

    public ManualAckCustomizer(AuditConfig config) {
        boolean wanted = config.mqtt().tlsEngine() == AuditConfig.TlsEngine.OPENSSL;
        this.openSsl = wanted && OpenSSLEngineOptions.isAvailable();
        if (wanted && !openSsl) {
            LOG.warnf(
                    "audit.mqtt.tls-engine=openssl, but netty-tcnative does not load here (%s): using the JDK's TLS",
                    OpenSsl.unavailabilityCause() == null
                            ? "unknown cause"
                            : OpenSsl.unavailabilityCause().getMessage());
        }
    }

    @Override
    public MqttClientSessionOptions customize(String channel, Config channelConfig, MqttClientSessionOptions options) {
        options.setAutoAck(false);
        if (options.isSsl() && openSsl) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        LOG.debugf(
                "MQTT channel %s: TLS engine %s",
                channel, options.isSsl() && openSsl ? OpenSsl.versionString() : "JDK");
        return options;
    }
}
