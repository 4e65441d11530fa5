package io.fleetprov.moquette;

import io.moquette.broker.Moquette017Internals;
import io.moquette.broker.Server;
import io.moquette.broker.security.IAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the emulator needs from its embedded Moquette broker beyond Moquette's public API. The only implementation
 * reaches into Moquette 0.17's internals; everything that does so lives in this module (see its README.md for each
 * limitation worked around and what an upgrade removes).
 */
public interface BrokerInternals {

    /**
     * Takes over a started server: its session loops are kept alive, a persistent session's unacknowledged messages
     * go out again when it reconnects, a PUBACK that reaches a session no longer bound to its connection is dropped,
     * and its subscription directory is replaced by one whose cost per subscribe does not grow with the clients
     * holding the same filter (so call it before any client subscribes). Fails with
     * {@link UnsupportedMoquetteException} on any Moquette other than 0.17.
     */
    static BrokerInternals attach(Server server) {
        return Moquette017Internals.attach(server);
    }

    /**
     * The remote address of the connection holding the client id, from the moment Moquette binds it to the session
     * (before CONNACK is written) until it ends. Moquette's own answer comes only once the CONNACK write has
     * completed, but a client may publish as soon as it reads the CONNACK, and that publish must be judged by its
     * certificate.
     */
    Optional<InetSocketAddress> remoteAddress(String clientId);

    /** The Netty channel of a connected client. */
    Optional<Channel> channel(String clientId);

    /**
     * Whether a new connection of the client id is between CONNECT and the end of CONNACK: its session is being
     * created or reopened (a persistent session's old connection, if any, is already closed).
     */
    boolean isConnecting(String clientId);

    /**
     * Publishes to one client only, and only if it is connected and subscribed to a filter matching the topic (AWS
     * answers a fleet-provisioning request only on the connection that made it, and keeps no answer for a client
     * that did not subscribe). QoS is the lower of the subscription's and {@code qos}. The payload is released.
     */
    void publishTo(String clientId, String topicName, MqttQoS qos, ByteBuf payload);

    /**
     * Runs {@code customizer} on the pipeline of every connection accepted from now on, once Moquette has built it
     * (TLS, MQTT decoder and encoder, Moquette's handler named {@code "handler"}) and before the connection's first
     * read. Handlers added before the customizer's own position do not see {@code channelActive}.
     */
    void customizePipelines(Consumer<ChannelPipeline> customizer);

    /**
     * Puts a fresh {@code stage} right after Moquette's MQTT encoder in every connection accepted from now on, so
     * that it sees the packets Moquette reads after decoding and those it writes before encoding.
     */
    default void addAfterCodec(String name, Supplier<ChannelHandler> stage) {
        customizePipelines(pipeline -> pipeline.addAfter(MOQUETTE_ENCODER, name, stage.get()));
    }

    /**
     * Opens one more TLS listener on {@code host:port} for the same broker (same sessions, same pipeline and
     * customizers, same authenticator) with its own TLS context, e.g. one that requires an ALPN protocol. {@code
     * config} is the broker's configuration; its {@code ssl_port} and {@code host} are replaced by these. The
     * listener closes with the server.
     */
    void listenTls(String host, int port, SslContext tls, IAuthenticator authenticator, Properties config);

    /**
     * How many QoS 1 messages the broker sends a client before waiting for its PUBACKs, unless the connection says
     * less through {@link #SEND_WINDOW}: AWS IoT Core's 100 (Moquette 0.17 would send 10, a tenth of what a
     * subscriber such as audit-service gets from AWS).
     */
    int DEFAULT_SEND_WINDOW = 100;

    /**
     * Set on a connection's channel before its CONNECT reaches Moquette to send that client fewer unacknowledged
     * messages than {@link #DEFAULT_SEND_WINDOW}: an MQTT 5 client's Receive Maximum.
     */
    AttributeKey<Integer> SEND_WINDOW = AttributeKey.valueOf("fleetprov.sendWindow");

    /** The name Moquette 0.17's {@code NewNettyAcceptor} gives its MQTT encoder in each pipeline. */
    String MOQUETTE_ENCODER = "encoder";
}
