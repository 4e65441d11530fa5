package io.fleetprov.emulator.broker;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The first stage after Netty's MQTT codec in every connection, before {@code Mqtt5Translator} and Moquette:
 * <ul>
 *   <li>a CONNECT is decided here ({@link ConnectionAdmission#admit}) with the certificate of this very
 *       connection, before Moquette could take the client id over from a connection already holding it; a refusal
 *       is a CONNACK "not authorized" (0x05, MQTT 5: 0x87) and the close of this connection only. An admitted
 *       CONNECT goes on with its user name replaced by the connection's token (see {@link ClientIdentities}).</li>
 *   <li>MQTT 3.1.1 has no way to refuse QoS 2 politely; AWS sends neither PUBACK nor SUBACK for it, and here the
 *       connection is closed instead, so that a client is not left waiting. (MQTT 5: {@code Mqtt5Translator}
 *       grants QoS 1 to a QoS 2 subscription and answers a QoS 2 publish with DISCONNECT 0x9B.)</li>
 *   <li>every message going out to the client is judged against iot:Receive as the policies are at that moment,
 *       not only at subscribe time; a refused one is not sent, and a refused QoS 1 one is acknowledged to Moquette
 *       on the client's behalf so that it is not sent again.</li>
 * </ul>
 * One instance per connection; everything runs on the connection's event loop.
 */
final class ConnectionGate extends ChannelDuplexHandler {

    /** Its name in the pipeline. */
    static final String NAME = "connection-gate";

    private final ConnectionAdmission admission;
    private ClientIdentity identity;
    private boolean mqtt5;

    ConnectionGate(ConnectionAdmission admission) {
        this.admission = admission;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)
                || message.fixedHeader() == null
                || message.decoderResult().isFailure()) {
            ctx.fireChannelRead(msg);
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        if (type == MqttMessageType.CONNECT && identity == null) {
            connect(ctx, (MqttConnectMessage) message);
        } else if (!mqtt5
                && type == MqttMessageType.PUBLISH
                && message.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        } else if (!mqtt5
                && type == MqttMessageType.SUBSCRIBE
                && ((MqttSubscribeMessage) message)
                        .payload().topicSubscriptions().stream()
                                .anyMatch(s -> s.qualityOfService() == MqttQoS.EXACTLY_ONCE)) {
            ctx.close();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        mqtt5 = header.version() == MqttVersion.MQTT_5.protocolLevel();
        String clientId = connect.payload().clientIdentifier();
        if (clientId == null || clientId.isEmpty()) {
            ctx.fireChannelRead(connect); // Moquette refuses an empty client id itself
            return;
        }
        ConnectionAdmission.Decision decision =
                admission.admit(peerCertificate(ctx), clientId, cleanSession(connect), sourceIp(ctx));
        if (!decision.admitted()) {
            MqttConnectReturnCode code = mqtt5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            ctx.writeAndFlush(new MqttConnAckMessage(
                            new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                            new MqttConnAckVariableHeader(code, false, MqttProperties.NO_PROPERTIES)))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        identity = decision.identity();
        admission.opened(ctx.channel(), identity);
        ctx.fireChannelRead(withUserName(connect, decision.token()));
    }

    /** The session state the CONNECT asks for: MQTT 5 keeps a session only with a Session Expiry Interval. */
    private boolean cleanSession(MqttConnectMessage connect) {
        if (!mqtt5) {
            return connect.variableHeader().isCleanSession();
        }
        MqttProperties.MqttProperty<?> expiry = connect.variableHeader()
                .properties()
                .getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
        return expiry == null || (Integer) expiry.value() == 0;
    }

    private static String sourceIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress peer && peer.getAddress() != null
                ? peer.getAddress().getHostAddress()
                : null;
    }

    private static Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static MqttConnectMessage withUserName(MqttConnectMessage connect, String userName) {
        MqttConnectVariableHeader h = connect.variableHeader();
        MqttConnectPayload p = connect.payload();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        h.version(),
                        true,
                        h.hasPassword(),
                        h.isWillRetain(),
                        h.willQos(),
                        h.isWillFlag(),
                        h.isCleanSession(),
                        h.keepAliveTimeSeconds(),
                        h.properties()),
                new MqttConnectPayload(
                        p.clientIdentifier(),
                        p.willProperties(),
                        p.willTopic(),
                        p.willMessageInBytes(),
                        userName,
                        p.passwordInBytes()));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (identity != null
                && msg instanceof MqttPublishMessage publish
                && !admission.mayReceive(identity, publish.variableHeader().topicName())) {
            int packetId = publish.variableHeader().packetId();
            boolean acknowledge = publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE;
            publish.release();
            promise.setSuccess();
            if (acknowledge) {
                // Later, not from inside Moquette's write: the acknowledgement re-enters Moquette.
                ctx.executor().execute(() -> ctx.fireChannelRead(pubAck(packetId)));
            }
            return;
        }
        ctx.write(msg, promise);
    }

    private static MqttMessage pubAck(int packetId) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                MqttMessageIdVariableHeader.from(packetId));
    }
}
