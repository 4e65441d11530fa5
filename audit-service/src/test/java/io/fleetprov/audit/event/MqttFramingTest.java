package io.fleetprov.audit.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The MQTT decoder that audit-service's client (vert.x, {@code MqttDecoder(max-message-size)}) and the broker
 * (Moquette) put behind TLS. TLS hands it the stream in pieces that end wherever a record or a read ends, so a
 * PUBLISH may arrive cut anywhere, also inside its topic. netty 4.1.133's decoder refused such a PUBLISH as "message
 * length exceeds 262144: 1022" and the connection was closed: the service reconnected a second later and the
 * message in flight was delivered again (IngestAttackTest on BoringSSL, about one seed in two). The root pom pins
 * netty-codec-mqtt at a version that waits for the rest; a packet declared larger than the limit is still refused.
 */
class MqttFramingTest {

    /** audit-service's {@code mp.messaging.connector.smallrye-mqtt.max-message-size}. */
    private static final int MAX_MESSAGE_SIZE = 262_144;

    private static final String TOPIC = "fleetprov/events/ClaimIssued";

    @Test
    void aPublishCutAnywhereIsDecodedWhole() {
        byte[] payload = new byte[1000];
        Arrays.fill(payload, (byte) 'p');
        byte[] wire = encode(publish(TOPIC, 630, payload));
        for (int cut = 1; cut < wire.length; cut++) {
            EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(MAX_MESSAGE_SIZE));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, cut, wire.length - cut));
            MqttMessage decoded = channel.readInbound();
            assertThat(decoded).as("PUBLISH cut after byte %d", cut).isInstanceOf(MqttPublishMessage.class);
            assertThat(decoded.decoderResult().cause())
                    .as("PUBLISH cut after byte %d", cut)
                    .isNull();
            MqttPublishMessage publish = (MqttPublishMessage) decoded;
            assertThat(publish.variableHeader().topicName()).isEqualTo(TOPIC);
            assertThat(publish.variableHeader().packetId()).isEqualTo(630);
            assertThat(ByteBufUtil.getBytes(publish.payload())).isEqualTo(payload);
            publish.release();
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void packetsQueuedBehindACutPublishAreDecodedToo() {
        // The case of the failure: a PUBLISH whose topic is cut, with more of the stream behind it in the next piece.
        byte[] first = encode(publish(TOPIC, 1, "one".getBytes(StandardCharsets.UTF_8)));
        byte[] second = encode(publish(TOPIC, 2, "two".getBytes(StandardCharsets.UTF_8)));
        byte[] wire = new byte[first.length + second.length];
        System.arraycopy(first, 0, wire, 0, first.length);
        System.arraycopy(second, 0, wire, first.length, second.length);
        int cut = first.length + 6; // inside the second PUBLISH's topic
        EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(MAX_MESSAGE_SIZE));
        channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, cut));
        channel.writeInbound(Unpooled.wrappedBuffer(wire, cut, wire.length - cut));
        for (int id = 1; id <= 2; id++) {
            MqttPublishMessage publish = channel.readInbound();
            assertThat(publish.decoderResult().cause()).isNull();
            assertThat(publish.variableHeader().packetId()).isEqualTo(id);
            publish.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aPublishDeclaredLargerThanTheLimitIsStillRefusedWholeOrCut() {
        // The protection the broken check was added for (a huge declared length must not be buffered) still holds.
        byte[] wire = encode(publish(TOPIC, 3, new byte[MAX_MESSAGE_SIZE + 1]));
        for (int cut : new int[] {6, 20, wire.length}) {
            EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(MAX_MESSAGE_SIZE));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, cut));
            if (cut < wire.length) {
                channel.writeInbound(Unpooled.wrappedBuffer(wire, cut, wire.length - cut));
            }
            MqttMessage decoded = channel.readInbound();
            assertThat(decoded.decoderResult().cause())
                    .as("cut after byte %d", cut)
                    .isInstanceOf(TooLongFrameException.class);
            channel.finishAndReleaseAll();
        }
    }

    private static MqttPublishMessage publish(String topic, int packetId, byte[] payload) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId),
                Unpooled.wrappedBuffer(payload));
    }

    private static byte[] encode(MqttPublishMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part = encoder.readOutbound(); part != null; part = encoder.readOutbound()) {
            out.writeBytes(part);
            part.release();
        }
        encoder.finish();
        return ByteBufUtil.getBytes(out);
    }
}
