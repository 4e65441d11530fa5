package io.fleetprov.emulator.broker.mqtt5;

import io.fleetprov.moquette.BrokerInternals;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lets MQTT 5 clients use a broker that speaks MQTT 3.1.1 (Moquette 0.17), on the same port as MQTT 3.1.1 clients.
 * It sits between Netty's MQTT codec, which decodes and encodes both versions (the decoder remembers the version
 * of the CONNECT for the rest of the connection, and the encoder writes MQTT 5 packets from then on), and the
 * broker. For an MQTT 5 connection it hands the broker 3.1.1 packets and turns the broker's answers into MQTT 5
 * ones: CONNACK with AWS IoT's limits and MQTT 5 reason codes, SUBACK and UNSUBACK reason codes, a DISCONNECT with
 * a reason before the server closes, topic aliases from the client resolved, publish properties passed on to MQTT
 * 5 subscribers. On an MQTT 3.1.1 connection it removes itself at the CONNECT.
 * <p>
 * Session state maps onto 3.1.1's clean session: Session Expiry Interval 0 (the default) is a clean session, since
 * such a session ends with its connection; a Session Expiry Interval above 0 is a persistent session, kept as long
 * as Moquette keeps persistent sessions, whatever the interval. With Clean Start and a Session Expiry Interval the
 * CONNACK says no session is present, but subscriptions of an earlier session of the client id survive.
 * <p>
 * One instance per connection; everything runs on the connection's event loop.
 */
public final class Mqtt5Translator extends ChannelDuplexHandler {

    /** Its name in the pipeline. */
    public static final String NAME = "mqtt5";

    private final Mqtt5Limits limits;
    private final Function<String, Optional<Channel>> connectionOf;

    private boolean translating;
    private boolean connected;
    private boolean closing;
    private String clientId;
    private boolean cleanStart;
    private int requestedKeepAlive;
    private int clientMaximumPacketSize = Integer.MAX_VALUE;
    private final Map<Integer, String> topicAliases = new HashMap<>();
    private final Map<Integer, Integer> pendingUnsubscribes = new HashMap<>();

    /**
     * @param connectionOf the connection currently holding a client id, which a CONNECT with that id takes over
     */
    public Mqtt5Translator(Mqtt5Limits limits, Function<String, Optional<Channel>> connectionOf) {
        this.limits = limits;
        this.connectionOf = connectionOf;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!translating) {
            boolean connect = message.fixedHeader() != null
                    && message.fixedHeader().messageType() == MqttMessageType.CONNECT
                    && message.decoderResult().isSuccess();
            if (connect) {
                // Whatever the newcomer's version, an MQTT 5 client it replaces is told why it goes.
                connectionOf
                        .apply(((MqttConnectMessage) message).payload().clientIdentifier())
                        .filter(older -> older != ctx.channel())
                        .ifPresent(
                                older -> ServerDisconnects.mark(older, MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER));
            }
            if (connect
                    && ((MqttConnectMessage) message).variableHeader().version()
                            == MqttVersion.MQTT_5.protocolLevel()) {
                translating = true;
                connect(ctx, (MqttConnectMessage) message);
            } else {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
            return;
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            disconnect(
                    ctx,
                    message.decoderResult().cause() instanceof TooLongFrameException
                            ? MqttReasonCodes.Disconnect.PACKET_TOO_LARGE
                            : MqttReasonCodes.Disconnect.MALFORMED_PACKET);
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> publish(ctx, (MqttPublishMessage) message);
            case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) message);
            case DISCONNECT -> clientDisconnect(ctx, message);
            case CONNECT -> disconnect(ctx, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
            case AUTH -> disconnect(ctx, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
            default -> ctx.fireChannelRead(msg);
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        MqttProperties properties = header.properties();
        if (properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
            return;
        }
        if (header.isWillFlag() && header.willQos() > MqttQoS.AT_LEAST_ONCE.value()) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED);
            return;
        }
        clientId = payload.clientIdentifier();
        cleanStart = header.isCleanSession();
        requestedKeepAlive = header.keepAliveTimeSeconds();
        clientMaximumPacketSize = intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
        int sessionExpiry = intProperty(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0);
        // The broker must not have more QoS 1 messages unacknowledged at the client than it can receive.
        ctx.channel()
                .attr(BrokerInternals.SEND_WINDOW)
                .set(intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM, BrokerInternals.DEFAULT_SEND_WINDOW));
        ctx.fireChannelRead(new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        MqttVersion.MQTT_3_1_1.protocolName(),
                        MqttVersion.MQTT_3_1_1.protocolLevel(),
                        header.hasUserName(),
                        header.hasPassword(),
                        header.isWillRetain(),
                        header.willQos(),
                        header.isWillFlag(),
                        cleanSession(sessionExpiry),
                        header.keepAliveTimeSeconds()),
                new MqttConnectPayload(
                        payload.clientIdentifier(),
                        MqttProperties.NO_PROPERTIES,
                        payload.willTopic(),
                        payload.willMessageInBytes(),
                        payload.userName(),
                        payload.passwordInBytes())));
    }

    /** The 3.1.1 clean-session flag closest to MQTT 5's Clean Start and Session Expiry Interval. */
    static boolean cleanSession(int sessionExpirySeconds) {
        return sessionExpirySeconds == 0;
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        MqttPublishVariableHeader header = publish.variableHeader();
        if (publish.fixedHeader().qosLevel().value() > MqttQoS.AT_LEAST_ONCE.value()) {
            publish.release();
            disconnect(ctx, MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED);
            return;
        }
        String topic = header.topicName();
        int alias = intProperty(header.properties(), MqttPropertyType.TOPIC_ALIAS, -1);
        if (alias != -1) {
            if (alias < 1 || alias > limits.topicAliasMaximum()) {
                publish.release();
                disconnect(ctx, MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID);
                return;
            }
            if (topic.isEmpty()) {
                topic = topicAliases.get(alias);
            } else {
                topicAliases.put(alias, topic);
            }
        }
        if (topic == null || topic.isEmpty()) {
            publish.release();
            disconnect(ctx, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
            return;
        }
        MqttProperties forwarded = ForwardedProperties.forwardable(header.properties());
        ByteBuf payload = publish.content();
        if (forwarded != null) {
            payload = ForwardedProperties.carrying(payload, forwarded);
            publish.release();
        }
        ctx.fireChannelRead(new MqttPublishMessage(
                publish.fixedHeader(), new MqttPublishVariableHeader(topic, header.packetId()), payload));
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        if (subscribe
                        .idAndPropertiesVariableHeader()
                        .properties()
                        .getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
                != null) {
            disconnect(ctx, MqttReasonCodes.Disconnect.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED);
            return;
        }
        // AWS grants at most QoS 1; Moquette would grant a requested QoS 2.
        List<MqttTopicSubscription> subscriptions = subscribe.payload().topicSubscriptions().stream()
                .map(s -> new MqttTopicSubscription(
                        s.topicFilter(),
                        s.qualityOfService().value() > 1 ? MqttQoS.AT_LEAST_ONCE : s.qualityOfService()))
                .toList();
        ctx.fireChannelRead(new MqttSubscribeMessage(
                subscribe.fixedHeader(),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubscribePayload(subscriptions)));
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
        pendingUnsubscribes.put(
                unsubscribe.variableHeader().messageId(),
                unsubscribe.payload().topics().size());
        ctx.fireChannelRead(unsubscribe);
    }

    /** Disconnect with Will Message (0x04) means the will is published: for Moquette, a lost connection. */
    private void clientDisconnect(ChannelHandlerContext ctx, MqttMessage disconnect) {
        closing = true;
        if (disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                && header.reasonCode() == MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue()) {
            ctx.close();
            return;
        }
        ctx.fireChannelRead(disconnect);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!translating || !(msg instanceof MqttMessage message) || message.fixedHeader() == null) {
            ctx.write(msg, promise);
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck(ctx, (MqttConnAckMessage) message, promise);
            case SUBACK -> ctx.write(subAck((MqttSubAckMessage) message), promise);
            case UNSUBACK -> ctx.write(unsubAck(message), promise);
            case PUBLISH -> deliver(ctx, (MqttPublishMessage) message, promise);
            default -> ctx.write(msg, promise);
        }
    }

    private void connAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck, ChannelPromise promise) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            closing = true;
            ctx.writeAndFlush(connAck(reasonCode(code), false, MqttProperties.NO_PROPERTIES), promise)
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connected = true;
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), limits.receiveMaximum()));
        properties.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), limits.maximumPacketSize()));
        properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), limits.topicAliasMaximum()));
        properties.add(new IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), MqttQoS.AT_LEAST_ONCE.value()));
        properties.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1));
        properties.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
        properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
        properties.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
        int keepAlive = limits.keepAlive().applyAsInt(requestedKeepAlive);
        if (keepAlive != requestedKeepAlive) {
            properties.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), keepAlive));
        }
        // With Clean Start the client must not be told of an earlier session (see the class comment).
        boolean sessionPresent = !cleanStart && connAck.variableHeader().isSessionPresent();
        ctx.write(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, sessionPresent, properties), promise);
    }

    /** MQTT 3.1.1 CONNACK return codes as MQTT 5 reason codes; MQTT 5 ones pass as they are. */
    static MqttConnectReturnCode reasonCode(MqttConnectReturnCode code) {
        return switch (code) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
                MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED ->
                MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CONNECTION_REFUSED_NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            default -> code;
        };
    }

    /** A SUBACK failure from the broker is the policy refusing the filter. */
    private static MqttSubAckMessage subAck(MqttSubAckMessage subAck) {
        int[] codes = subAck.payload().grantedQoSLevels().stream()
                .mapToInt(granted -> granted <= MqttQoS.AT_LEAST_ONCE.value()
                        ? granted
                        : MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF)
                .toArray();
        return new MqttSubAckMessage(
                subAck.fixedHeader(),
                new MqttMessageIdAndPropertiesVariableHeader(
                        subAck.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
    }

    /** MQTT 5 wants a reason code per filter; Moquette removes every filter it is asked to. */
    private MqttUnsubAckMessage unsubAck(MqttMessage unsubAck) {
        int packetId = ((MqttMessageIdVariableHeader) unsubAck.variableHeader()).messageId();
        short[] codes = new short[pendingUnsubscribes.getOrDefault(packetId, 1)];
        pendingUnsubscribes.remove(packetId);
        return new MqttUnsubAckMessage(
                unsubAck.fixedHeader(),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes));
    }

    private void deliver(ChannelHandlerContext ctx, MqttPublishMessage publish, ChannelPromise promise) {
        MqttPublishVariableHeader header = publish.variableHeader();
        // The client said it cannot take larger packets: MQTT 5 has the server drop them.
        if (publish.content().readableBytes() + header.topicName().length() * 3L + 16 > clientMaximumPacketSize) {
            publish.release();
            promise.setSuccess();
            return;
        }
        MqttProperties forwarded = ForwardedProperties.of(publish.content());
        if (forwarded == null) {
            ctx.write(publish, promise);
            return;
        }
        ctx.write(
                new MqttPublishMessage(
                        publish.fixedHeader(),
                        new MqttPublishVariableHeader(header.topicName(), header.packetId(), forwarded),
                        publish.content()),
                promise);
    }

    /** A close by the server: an MQTT 5 client first gets a DISCONNECT, if the closer said why. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        MqttReasonCodes.Disconnect reason =
                ctx.channel().attr(ServerDisconnects.REASON).get();
        if (!translating
                || !connected
                || closing
                || reason == null
                || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closing = true;
        ctx.writeAndFlush(disconnectMessage(reason)).addListener(f -> ctx.close(promise));
    }

    private void disconnect(ChannelHandlerContext ctx, MqttReasonCodes.Disconnect reason) {
        closing = true;
        ctx.writeAndFlush(disconnectMessage(reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        closing = true;
        ctx.writeAndFlush(connAck(code, false, MqttProperties.NO_PROPERTIES)).addListener(ChannelFutureListener.CLOSE);
    }

    private static MqttMessage disconnectMessage(MqttReasonCodes.Disconnect reason) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(reason.byteValue(), MqttProperties.NO_PROPERTIES));
    }

    private static MqttConnAckMessage connAck(
            MqttConnectReturnCode code, boolean sessionPresent, MqttProperties properties) {
        return new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(code, sessionPresent, properties));
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type, int absent) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? absent : (Integer) property.value();
    }
}
