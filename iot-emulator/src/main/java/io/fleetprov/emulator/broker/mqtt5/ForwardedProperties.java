package io.fleetprov.emulator.broker.mqtt5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.Set;

/**
 * Carries an MQTT 5 publish's application properties (user properties, content type, payload format, response
 * topic, correlation data) through Moquette 0.17, which knows nothing of them, to the MQTT 5 subscribers.
 * <p>
 * Moquette routes a publish's payload buffer to every subscriber as the buffer itself or a duplicate of it (never
 * a copy, for live deliveries), so the payload is copied into a buffer of this type that also holds the
 * properties, and the outbound side finds them again by unwrapping a delivery's payload to this buffer. No table
 * keyed by message is needed, and nothing outlives the payload. Retained messages are stored by Moquette as bytes
 * and lose their properties.
 */
final class ForwardedProperties extends UnpooledHeapByteBuf {

    /** The publish properties MQTT 5 says a server forwards unchanged to subscribers. */
    private static final Set<Integer> FORWARDED = Set.of(
            MqttPropertyType.USER_PROPERTY.value(),
            MqttPropertyType.CONTENT_TYPE.value(),
            MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(),
            MqttPropertyType.RESPONSE_TOPIC.value(),
            MqttPropertyType.CORRELATION_DATA.value());

    private final MqttProperties properties;

    private ForwardedProperties(byte[] payload, MqttProperties properties) {
        super(UnpooledByteBufAllocator.DEFAULT, payload, payload.length);
        this.properties = properties;
    }

    /** The forwardable part of {@code received}, or {@code null} when there is none. */
    static MqttProperties forwardable(MqttProperties received) {
        MqttProperties kept = new MqttProperties();
        received.listAll().stream()
                .filter(p -> FORWARDED.contains(p.propertyId()))
                .forEach(kept::add);
        // MqttProperties.isEmpty() does not count user properties.
        return kept.listAll().isEmpty() ? null : kept;
    }

    /** A copy of {@code payload} that carries {@code properties}; {@code payload} is left as it is. */
    static ByteBuf carrying(ByteBuf payload, MqttProperties properties) {
        byte[] bytes = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), bytes);
        return new ForwardedProperties(bytes, properties);
    }

    /** The properties carried by the buffer {@code payload} was derived from, if any. */
    static MqttProperties of(ByteBuf payload) {
        for (ByteBuf b = payload; b != null; b = b.unwrap()) {
            if (b instanceof ForwardedProperties carrier) {
                return carrier.properties;
            }
        }
        return null;
    }
}
