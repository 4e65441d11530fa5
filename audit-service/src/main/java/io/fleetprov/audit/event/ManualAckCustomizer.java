package io.fleetprov.audit.event;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/**
 * The MQTT connector lets Vert.x acknowledge a QoS 1 message as soon as it arrives. The audit log must only
 * acknowledge what it has committed, so auto-ack is switched off and {@link EventConsumer} acks after the commit.
 */
@ApplicationScoped
public class ManualAckCustomizer implements ClientCustomizer<MqttClientSessionOptions> {

    @Override
    public MqttClientSessionOptions customize(String channel, Config channelConfig, MqttClientSessionOptions options) {
        options.setAutoAck(false);
        return options;
    }
}
