package io.fleetprov.simulator.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mqtt.MqttConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * MQTT 3.1.1 on Netty's own MQTT codec, on the connection's Vert.x event loop, so handlers run on its context.
 *
 * <p>Not Vert.x's {@code MqttClient}: each of those builds its own {@code NetClient} (options copied twice, an SSL
 * helper with two caches, a channel group, a close future, a Vert.x socket with its inbound buffer) and keeps it for
 * the connection's life. A soak holds thousands of idle connections, and in a heap dump of a 6,000-device soak those
 * objects were about a third of the simulator's heap per connected device (README, "Memory per connected device").
 * Here a connection is the socket channel with four handlers: TLS, the codec, the keep-alive timer and this
 * connection's state.
 *
 * <p>TLS is the engine {@link MqttTarget#deviceEngines} makes, the one the machine limit's t4 times: on OpenSSL the
 * target's shared context with the device's key, no session cache; the server's chain judged by the target's trust
 * and its host name checked (HTTPS rules) against the host connected to.
 */
final class NettyMqtt3Transport implements MqttTransport {

    private static final int MAX_PACKET_ID = 65535;

    private final Vertx vertx;
    private final ContextInternal context;
    private final MqttTarget target;
    private final Supplier<SSLEngine> engines;
    private final String clientId;
    private final Duration timeout;
    private final Events events;

    // Only touched on the connection's event loop. Acks cannot come before the packet is written (the id is
    // chosen here, before the write), so there is no "early ack" case as with Vert.x's client.
    private final Map<Integer, CompletableFuture<List<Integer>>> pendingSubAcks = new HashMap<>(2);
    private final Map<Integer, CompletableFuture<Void>> pendingPubAcks = new HashMap<>(2);
    private int lastPacketId;
    private Channel channel;
    private CompletableFuture<Void> connecting;
    private boolean connected;
    private boolean closed;

    NettyMqtt3Transport(
            Vertx vertx,
            Context context,
            MqttTarget target,
            DeviceCredentials credentials,
            String clientId,
            Duration timeout,
            Events events) {
        this.vertx = vertx;
        this.context = (ContextInternal) context;
        this.target = target;
        this.engines = target.deviceEngines(credentials);
        this.clientId = clientId;
        this.timeout = timeout;
        this.events = events;
    }

    @Override
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        connecting = done;
        Bootstrap bootstrap = new Bootstrap()
                .group(context.nettyEventLoop())
                .channel(NioSocketChannel.class)
                .resolver(((VertxInternal) vertx).nettyAddressResolverGroup())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler tls = new SslHandler(engines.get());
                        tls.setHandshakeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        tls.handshakeFuture().addListener(handshake -> {
                            if (handshake.isSuccess()) {
                                PeerChainRelease.release(tls.engine().getSession());
                                sendConnect(ch);
                            } else {
                                failConnect(handshake.cause());
                            }
                        });
                        ch.pipeline()
                                .addLast("tls", tls)
                                .addLast("decoder", new MqttDecoder(DeviceClient.MAX_MESSAGE_SIZE))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("keepAlive", new IdleStateHandler(0, DeviceClient.KEEP_ALIVE_SECONDS, 0))
                                .addLast("mqtt", new Handler());
                    }
                });
        ChannelFuture connect = bootstrap.connect(target.host(), target.port());
        channel = connect.channel();
        connect.addListener(tcp -> {
            if (!tcp.isSuccess()) {
                failConnect(tcp.cause());
            }
        });
        return done;
    }

    private void sendConnect(Channel ch) {
        ch.writeAndFlush(MqttMessageBuilders.connect()
                        .protocolVersion(MqttVersion.MQTT_3_1_1)
                        .clientId(clientId)
                        .cleanSession(true)
                        .keepAlive(DeviceClient.KEEP_ALIVE_SECONDS)
                        .build())
                .addListener(written -> {
                    if (!written.isSuccess()) {
                        failConnect(written.cause());
                    }
                });
    }

    private void failConnect(Throwable cause) {
        CompletableFuture<Void> pending = connecting;
        connecting = null;
        if (pending != null) {
            pending.completeExceptionally(cause);
        }
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public CompletableFuture<List<Integer>> subscribe(List<String> topicFilters) {
        CompletableFuture<List<Integer>> ack = new CompletableFuture<>();
        if (!connected) {
            ack.completeExceptionally(events.connectionLost());
            return ack;
        }
        int id = nextPacketId();
        MqttMessageBuilders.SubscribeBuilder subscribe =
                MqttMessageBuilders.subscribe().messageId(id);
        topicFilters.forEach(t -> subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, t));
        pendingSubAcks.put(id, ack);
        channel.writeAndFlush(subscribe.build()).addListener(written -> {
            if (!written.isSuccess() && pendingSubAcks.remove(id) != null) {
                ack.completeExceptionally(written.cause());
            }
        });
        return ack;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        if (!connected) {
            acked.completeExceptionally(events.connectionLost());
            return acked;
        }
        int id = nextPacketId();
        pendingPubAcks.put(id, acked);
        channel.writeAndFlush(MqttMessageBuilders.publish()
                        .topicName(topic)
                        .qos(MqttQoS.AT_LEAST_ONCE)
                        .retained(false)
                        .messageId(id)
                        .payload(Unpooled.wrappedBuffer(payload))
                        .build())
                .addListener(written -> {
                    if (!written.isSuccess() && pendingPubAcks.remove(id) != null) {
                        acked.completeExceptionally(written.cause());
                    }
                });
        return acked;
    }

    /** The next packet id not awaiting an ack (1 to 65535, then round again). */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
        } while (pendingPubAcks.containsKey(lastPacketId) || pendingSubAcks.containsKey(lastPacketId));
        return lastPacketId;
    }

    @Override
    public void disconnect() {
        if (channel != null && channel.isActive() && connected) {
            connected = false;
            channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(written -> channel.close());
        } else if (channel != null) {
            channel.close();
            onClose();
        } else {
            onClose();
        }
    }

    @Override
    public boolean isConnected() {
        return connected && channel.isActive();
    }

    private void onClose() {
        connected = false;
        if (connecting != null) {
            CompletableFuture<Void> pending = connecting;
            connecting = null;
            pending.completeExceptionally(events.connectionLost());
        }
        if (closed) {
            return;
        }
        closed = true;
        DeviceException lost = events.connectionLost();
        List<CompletableFuture<?>> waiting = new ArrayList<>(pendingSubAcks.values());
        waiting.addAll(pendingPubAcks.values());
        pendingSubAcks.clear();
        pendingPubAcks.clear();
        waiting.forEach(f -> f.completeExceptionally(lost));
        events.closed();
    }

    /** This connection's MQTT state machine, on its event loop. */
    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            if (message.decoderResult().isFailure()) {
                // A packet this client cannot read: the broker broke the protocol, so the connection ends.
                events.error(message.decoderResult().cause());
                ctx.close();
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> onConnAck((MqttConnAckMessage) message);
                case SUBACK -> onSubAck((MqttSubAckMessage) message);
                case PUBACK -> onPubAck((MqttPubAckMessage) message);
                case PUBLISH -> onPublish(ctx, (MqttPublishMessage) message);
                default -> {
                    // PINGRESP; nothing else is sent to a client that only publishes and subscribes at QoS 1.
                }
            }
        }

        private void onConnAck(MqttConnAckMessage ack) {
            MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
            CompletableFuture<Void> pending = connecting;
            connecting = null;
            if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                connected = true;
                if (pending != null) {
                    pending.complete(null);
                }
            } else if (pending != null) {
                pending.completeExceptionally(new MqttConnectionException(code));
                channel.close();
            }
        }

        private void onSubAck(MqttSubAckMessage ack) {
            CompletableFuture<List<Integer>> pending =
                    pendingSubAcks.remove(ack.variableHeader().messageId());
            if (pending != null) {
                pending.complete(ack.payload().grantedQoSLevels());
            }
        }

        private void onPubAck(MqttPubAckMessage ack) {
            CompletableFuture<Void> pending =
                    pendingPubAcks.remove(ack.variableHeader().messageId());
            if (pending != null) {
                pending.complete(null);
            }
        }

        private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage message) {
            byte[] payload = new byte[message.payload().readableBytes()];
            message.payload().getBytes(message.payload().readerIndex(), payload);
            MqttQoS qos = message.fixedHeader().qosLevel();
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(MqttMessageBuilders.pubAck()
                        .packetId(message.variableHeader().packetId())
                        .build());
            }
            // QoS 2 is not subscribed to; a broker that sent it anyway gets no PUBREC, as from a QoS 1 client.
            events.message(message.variableHeader().topicName(), payload);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                // Nothing written for a keep-alive interval: PINGREQ, as MQTT 3.1.1 asks of the client.
                ctx.writeAndFlush(MqttMessage.PINGREQ);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Kept so that a lost connection says why (TLS alert, decode error, reset) instead of only "closed".
            events.error(
                    cause instanceof io.netty.handler.codec.DecoderException decoder
                                    && decoder.getCause() instanceof SSLException tls
                            ? tls
                            : cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            onClose();
            super.channelInactive(ctx);
        }
    }

    /** For logs: the client id and where it connects, never its key. */
    @Override
    public String toString() {
        return "NettyMqtt3Transport[" + clientId + " -> " + target.endpoint() + "]";
    }
}
