package io.fleetprov.emulator.broker.mqtt5;

import java.util.function.IntUnaryOperator;

/**
 * What the broker tells an MQTT 5 client in its CONNACK, with AWS IoT Core's values: at most 100 unacknowledged
 * QoS 1 publishes, topic aliases 1–8, QoS 0 and 1 only, retained messages and wildcard subscriptions available,
 * no subscription identifiers, and no shared subscriptions (AWS has them; Moquette 0.17 does not).
 *
 * @param maximumPacketSize the largest packet the broker's decoder accepts
 * @param keepAlive the keep-alive the broker enforces for a requested one; a different value goes back to the
 *     client as Server Keep Alive
 */
public record Mqtt5Limits(
        int receiveMaximum, int maximumPacketSize, int topicAliasMaximum, IntUnaryOperator keepAlive) {

    public static final int AWS_RECEIVE_MAXIMUM = 100;
    public static final int AWS_TOPIC_ALIAS_MAXIMUM = 8;

    public static Mqtt5Limits aws(int maximumPacketSize, IntUnaryOperator keepAlive) {
        return new Mqtt5Limits(AWS_RECEIVE_MAXIMUM, maximumPacketSize, AWS_TOPIC_ALIAS_MAXIMUM, keepAlive);
    }
}
