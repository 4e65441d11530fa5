package io.fleetprov.emulator.broker.mqtt5;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.util.AttributeKey;

/**
 * Why the server is about to close a connection. Moquette 0.17 just closes the channel; an MQTT 5 client is owed a
 * DISCONNECT with a reason code first, so whoever closes a connection says why here and {@link Mqtt5Translator}
 * sends it. MQTT 3.1.1 connections ignore it.
 */
public final class ServerDisconnects {

    static final AttributeKey<MqttReasonCodes.Disconnect> REASON =
            AttributeKey.valueOf(ServerDisconnects.class, "reason");

    private ServerDisconnects() {}

    /** Records the reason of a close that is about to happen; the first reason given wins. */
    public static void mark(Channel channel, MqttReasonCodes.Disconnect reason) {
        channel.attr(REASON).setIfAbsent(reason);
    }
}
