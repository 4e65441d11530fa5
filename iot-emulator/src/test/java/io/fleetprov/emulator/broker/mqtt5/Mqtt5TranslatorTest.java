package io.fleetprov.emulator.broker.mqtt5;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The translator between Netty's real MQTT codec on both sides: a client channel encodes what an MQTT 5 (or
 * 3.1.1) client sends, the broker channel decodes it, translates it and hands it on as Moquette would see it;
 * what the broker writes as Moquette would write it is encoded and decoded again by the client channel.
 */
class Mqtt5TranslatorTest {

    private static final Mqtt5Limits LIMITS = Mqtt5Limits.aws(132096, k -> k < 30 ? 30 : Math.min(k, 1200));

    private final Map<String, Channel> connections = new HashMap<>();
    private final EmbeddedChannel client = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
    private final EmbeddedChannel broker = new EmbeddedChannel(new MqttDecoder(200_000), MqttEncoder.INSTANCE);

    Mqtt5TranslatorTest() {
        broker.pipeline()
                .addAfter(
                        broker.pipeline().context(MqttEncoder.class).name(),
                        Mqtt5Translator.NAME,
                        new Mqtt5Translator(LIMITS, id -> Optional.ofNullable(connections.get(id))));
    }

    @Test
    void mqtt5ConnectReachesTheBrokerAs311AndTheConnAckCarriesAwsLimits() {
        MqttConnectMessage seen = connect(MqttVersion.MQTT_5, props(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0), 10);
        assertThat(seen.variableHeader().version()).isEqualTo(4);
        assertThat(seen.variableHeader().name()).isEqualTo("MQTT");
        assertThat(seen.variableHeader().isCleanSession()).isTrue();
        assertThat(seen.payload().clientIdentifier()).isEqualTo("device-1");

        MqttConnAckMessage connAck = brokerAnswers(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        MqttProperties p = connAck.variableHeader().properties();
        assertThat(intProperty(p, MqttPropertyType.RECEIVE_MAXIMUM)).isEqualTo(100);
        assertThat(intProperty(p, MqttPropertyType.TOPIC_ALIAS_MAXIMUM)).isEqualTo(8);
        assertThat(intProperty(p, MqttPropertyType.MAXIMUM_QOS)).isEqualTo(1);
        assertThat(intProperty(p, MqttPropertyType.RETAIN_AVAILABLE)).isEqualTo(1);
        assertThat(intProperty(p, MqttPropertyType.MAXIMUM_PACKET_SIZE)).isEqualTo(132096);
        assertThat(intProperty(p, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE))
                .isZero();
        assertThat(intProperty(p, MqttPropertyType.SERVER_KEEP_ALIVE)).isEqualTo(30);
    }

    @Test
    void sessionExpiryAboveZeroIsAPersistentSession() {
        MqttConnectMessage seen =
                connect(MqttVersion.MQTT_5, props(MqttPropertyType.SESSION_EXPIRY_INTERVAL, 3600), 60);
        assertThat(seen.variableHeader().isCleanSession()).isFalse();
        // Clean Start was set: an earlier session is not reported.
        MqttConnAckMessage connAck = brokerAnswers(new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new io.netty.handler.codec.mqtt.MqttConnAckVariableHeader(
                        MqttConnectReturnCode.CONNECTION_ACCEPTED, true)));
        assertThat(connAck.variableHeader().isSessionPresent()).isFalse();
        assertThat(connAck.variableHeader().properties().getProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value()))
                .isNull();
    }

    @Test
    void mqtt311ConnectionsPassUntouchedAndLoseTheStage() {
        MqttConnectMessage seen = connect(MqttVersion.MQTT_3_1_1, MqttProperties.NO_PROPERTIES, 60);
        assertThat(seen.variableHeader().version()).isEqualTo(4);
        assertThat(broker.pipeline().get(Mqtt5Translator.NAME)).isNull();
        MqttConnAckMessage connAck = brokerAnswers(connAck(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
        assertThat(connAck.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    }

    @Test
    void brokerRefusalsBecomeMqtt5ReasonCodes() {
        assertThat(Mqtt5Translator.reasonCode(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD)
                        .byteValue())
                .isEqualTo((byte) 0x86);
        assertThat(Mqtt5Translator.reasonCode(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED)
                        .byteValue())
                .isEqualTo((byte) 0x87);
        assertThat(Mqtt5Translator.reasonCode(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED)
                        .byteValue())
                .isEqualTo((byte) 0x85);
        assertThat(Mqtt5Translator.reasonCode(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION)
                        .byteValue())
                .isEqualTo((byte) 0x84);
    }

    @Test
    void aWillAtQos2IsRefusedWith0x9B() {
        clientSends(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId("device-1")
                .willFlag(true)
                .willTopic("last/will")
                .willMessage("bye".getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.EXACTLY_ONCE)
                .build());
        assertThat((Object) broker.readInbound()).isNull();
        MqttConnAckMessage connAck = clientReceives();
        assertThat(connAck.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x9B);
    }

    @Test
    void topicAliasesFromTheClientAreResolved() {
        connected();
        clientSends(publish("dt/device-1/telemetry", 1, alias(3), "a"));
        MqttPublishMessage first = broker.readInbound();
        assertThat(first.variableHeader().topicName()).isEqualTo("dt/device-1/telemetry");
        first.release();

        clientSends(publish("", 2, alias(3), "b"));
        MqttPublishMessage second = broker.readInbound();
        assertThat(second.variableHeader().topicName()).isEqualTo("dt/device-1/telemetry");
        assertThat(second.content().toString(StandardCharsets.UTF_8)).isEqualTo("b");
        second.release();
    }

    @Test
    void anAliasAboveTheMaximumIsADisconnect0x94() {
        connected();
        clientSends(publish("dt/x", 1, alias(9), "a"));
        assertThat((Object) broker.readInbound()).isNull();
        assertThat(disconnectReason()).isEqualTo((byte) 0x94);
    }

    @Test
    void anUnknownAliasIsAProtocolError() {
        connected();
        clientSends(publish("", 1, alias(2), "a"));
        assertThat(disconnectReason()).isEqualTo((byte) 0x82);
    }

    @Test
    void aQos2PublishIsADisconnect0x9B() {
        connected();
        clientSends(MqttMessageBuilders.publish()
                .topicName("dt/x")
                .qos(MqttQoS.EXACTLY_ONCE)
                .messageId(7)
                .payload(Unpooled.copiedBuffer("a", StandardCharsets.UTF_8))
                .build());
        assertThat((Object) broker.readInbound()).isNull();
        assertThat(disconnectReason()).isEqualTo((byte) 0x9B);
    }

    @Test
    void aPacketOverTheBrokersLimitIsADisconnect0x95() {
        connected();
        clientSends(MqttMessageBuilders.publish()
                .topicName("dt/x")
                .qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(8)
                .payload(Unpooled.wrappedBuffer(new byte[250_000]))
                .build());
        assertThat((Object) broker.readInbound()).isNull();
        assertThat(disconnectReason()).isEqualTo((byte) 0x95);
    }

    @Test
    void userPropertiesReachMqtt5SubscribersThroughTheBroker() {
        connected();
        MqttProperties properties = new MqttProperties();
        UserProperties user = new UserProperties();
        user.add("trace", "abc");
        properties.add(user);
        properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 1));
        clientSends(publish("dt/device-1/telemetry", 1, properties, "hello"));
        MqttPublishMessage seen = broker.readInbound();
        assertThat(seen.variableHeader().properties().isEmpty()).isTrue();

        // Moquette delivers a duplicate of the payload, with no properties, to the subscriber's connection.
        ByteBuf delivered = seen.payload().duplicate();
        // (as Moquette builds it; Netty's builder would copy the payload)
        MqttPublishMessage received = brokerAnswers(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader("dt/device-1/telemetry", 1),
                delivered));
        assertThat(received.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        MqttProperties forwarded = received.variableHeader().properties();
        assertThat(forwarded.getProperties(MqttPropertyType.USER_PROPERTY.value()))
                .singleElement()
                .extracting(p -> (MqttProperties.StringPair) p.value())
                .satisfies(pair -> assertThat(pair.key + "=" + pair.value).isEqualTo("trace=abc"));
        assertThat(forwarded.getProperty(MqttPropertyType.TOPIC_ALIAS.value())).isNull();
        received.release();
    }

    @Test
    void aServerCloseWithAReasonSendsDisconnectFirst() {
        connected();
        ServerDisconnects.mark(broker, MqttReasonCodes.Disconnect.NOT_AUTHORIZED);
        broker.close();
        assertThat(disconnectReason()).isEqualTo((byte) 0x87);
    }

    @Test
    void aConnectWithTheIdOfAnotherConnectionTellsThatOneItWasTakenOver() {
        EmbeddedChannel older = new EmbeddedChannel();
        connections.put("device-1", older);
        connect(MqttVersion.MQTT_3_1_1, MqttProperties.NO_PROPERTIES, 60);
        assertThat(older.attr(ServerDisconnects.REASON).get()).isEqualTo(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER);
    }

    @Test
    void aServerCloseWithoutAReasonJustCloses() {
        connected();
        broker.close();
        flushToClient();
        assertThat((Object) client.readInbound()).isNull();
    }

    @Test
    void subAckFailuresAreNotAuthorizedAndQos2IsAskedAs1() {
        connected();
        clientSends(MqttMessageBuilders.subscribe()
                .messageId(5)
                .addSubscription(MqttQoS.EXACTLY_ONCE, "cmd/#")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "forbidden/#")
                .build());
        MqttSubscribeMessage seen = broker.readInbound();
        assertThat(seen.payload().topicSubscriptions())
                .extracting(s -> s.qualityOfService())
                .containsExactly(MqttQoS.AT_LEAST_ONCE, MqttQoS.AT_LEAST_ONCE);

        MqttSubAckMessage subAck = brokerAnswers(MqttMessageBuilders.subAck()
                .packetId(5)
                .addGrantedQoses(MqttQoS.AT_LEAST_ONCE, MqttQoS.FAILURE)
                .build());
        assertThat(subAck.payload().reasonCodes()).containsExactly(0x01, 0x87);
    }

    @Test
    void unsubAckHasAReasonCodePerFilter() {
        connected();
        clientSends(MqttMessageBuilders.unsubscribe()
                .messageId(6)
                .addTopicFilter("a/#")
                .addTopicFilter("b/#")
                .build());
        broker.readInbound();
        MqttUnsubAckMessage unsubAck = brokerAnswers(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(6)));
        assertThat(unsubAck.payload().unsubscribeReasonCodes()).containsExactly((short) 0, (short) 0);
    }

    @Test
    void disconnectWithWillClosesWithoutTellingTheBroker() {
        connected();
        clientSends(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(
                        MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue(),
                        MqttProperties.NO_PROPERTIES)));
        assertThat((Object) broker.readInbound()).isNull();
        assertThat(broker.isOpen()).isFalse();
    }

    private void connected() {
        connect(MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES, 60);
        brokerAnswers(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
    }

    private MqttConnectMessage connect(MqttVersion version, MqttProperties properties, int keepAlive) {
        clientSends(MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId("device-1")
                .cleanSession(true)
                .keepAlive(keepAlive)
                .properties(properties)
                .build());
        return broker.readInbound();
    }

    private void clientSends(MqttMessage message) {
        client.writeOutbound(message);
        for (ByteBuf bytes = client.readOutbound(); bytes != null; bytes = client.readOutbound()) {
            broker.writeInbound(bytes);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends MqttMessage> T brokerAnswers(MqttMessage message) {
        broker.writeOutbound(message);
        return clientReceives();
    }

    @SuppressWarnings("unchecked")
    private <T extends MqttMessage> T clientReceives() {
        flushToClient();
        return (T) client.readInbound();
    }

    private void flushToClient() {
        for (ByteBuf bytes = broker.readOutbound(); bytes != null; bytes = broker.readOutbound()) {
            client.writeInbound(bytes);
        }
    }

    private byte disconnectReason() {
        MqttMessage disconnect = clientReceives();
        assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode();
    }

    private static MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        return MqttMessageBuilders.connAck()
                .returnCode(code)
                .sessionPresent(false)
                .build();
    }

    private static MqttPublishMessage publish(String topic, int packetId, MqttProperties properties, String body) {
        return MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.AT_LEAST_ONCE)
                .messageId(packetId)
                .properties(properties)
                .payload(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8))
                .build();
    }

    private static MqttProperties alias(int alias) {
        return props(MqttPropertyType.TOPIC_ALIAS, alias);
    }

    private static MqttProperties props(MqttPropertyType type, int value) {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(type.value(), value));
        return properties;
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type) {
        return (Integer) properties.getProperty(type.value()).value();
    }
}
