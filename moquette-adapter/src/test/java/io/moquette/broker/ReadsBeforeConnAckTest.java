package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends SUBSCRIBE and PUBLISH right behind its CONNECT, in one write, as MQTT 3.1.1 allows. Moquette
 * 0.17 reads the SUBSCRIBE before its CONNACK write's listener has marked the connection connected and drops the
 * connection; the same happens, rarely, to a client that does wait for the CONNACK (the AWS IoT Device SDK's request
 * then fails as cancelled). With the adapter the client gets its CONNACK, its SUBACK and its own message back, in
 * that order: the PUBLISH did not overtake the SUBSCRIBE.
 */
class ReadsBeforeConnAckTest {

    private static final String TOPIC = "things/device-1/telemetry";

    private final Server server = new Server();
    private final int port = TestBrokers.freePort();

    @BeforeEach
    void start() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)));
        BrokerInternals.attach(server);
    }

    @AfterEach
    void stop() {
        server.stopServer();
    }

    @Test
    void packetsSentRightBehindConnectAreAnsweredInOrderOnAConnectionKeptOpen() throws Exception {
        assertPipelinedPacketsAreAnsweredInOrder(() -> {});
    }

    /**
     * The session loops backed up, as under load: the CONNACK comes only a while later, and what the connection sent
     * meanwhile is held through several looks, then answered in order.
     */
    @Test
    void packetsHeldWhileTheSessionLoopIsBusyAreAnsweredOnceItIsDone() throws Exception {
        CountDownLatch release = busySessionLoopOfDevice1();
        assertPipelinedPacketsAreAnsweredInOrder(() -> {
            Thread.sleep(300); // about eight looks, the last ones 64 ms apart
            release.countDown();
        });
    }

    /**
     * A connection that goes away while what it sent is held (a client that pipelines and gives up, or one flooding
     * before its CONNACK): the next connection of the same client id is answered in order, and its subscriber gets its
     * own message only, not the one the closed connection had sent.
     */
    @Test
    void aConnectionClosedWhileItsPacketsAreHeldLeavesTheNextOneOfItsClientIdUnaffected() throws Exception {
        CountDownLatch release = busySessionLoopOfDevice1();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.getOutputStream().write(pipelined("abandoned".getBytes(StandardCharsets.UTF_8)));
            Thread.sleep(100);
        }
        Thread.sleep(100);
        release.countDown();

        assertPipelinedPacketsAreAnsweredInOrder(() -> {});
    }

    /** Sends CONNECT, SUBSCRIBE and PUBLISH in one write, runs {@code meanwhile}, then reads the answers. */
    private void assertPipelinedPacketsAreAnsweredInOrder(Meanwhile meanwhile) throws Exception {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] pipelined = pipelined(hello);

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(pipelined);
            meanwhile.run();
            List<MqttMessage> answers = read(socket.getInputStream(), 3);

            assertThat(answers)
                    .extracting(m -> m.fixedHeader().messageType())
                    .containsExactly(MqttMessageType.CONNACK, MqttMessageType.SUBACK, MqttMessageType.PUBLISH);
            assertThat(((MqttConnAckMessage) answers.get(0)).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(((MqttSubAckMessage) answers.get(1)).payload().grantedQoSLevels())
                    .containsExactly(1);
            MqttPublishMessage echo = (MqttPublishMessage) answers.get(2);
            assertThat(ByteBufUtil.getBytes(echo.payload())).isEqualTo(hello);
            echo.release();

            // still connected: a PINGREQ is answered
            socket.getOutputStream()
                    .write(encode(new MqttMessage(
                            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0))));
            assertThat(read(socket.getInputStream(), 1))
                    .extracting(m -> m.fixedHeader().messageType())
                    .containsExactly(MqttMessageType.PINGRESP);
        }
    }

    /** CONNECT as device-1, SUBSCRIBE to the topic and PUBLISH {@code payload} to it, as one run of bytes. */
    private static byte[] pipelined(byte[] payload) {
        return encode(
                MqttMessageBuilders.connect()
                        .clientId("device-1")
                        .protocolVersion(MqttVersion.MQTT_3_1_1)
                        .cleanSession(true)
                        .keepAlive(60)
                        .build(),
                MqttMessageBuilders.subscribe()
                        .messageId(1)
                        .addSubscription(MqttQoS.AT_LEAST_ONCE, TOPIC)
                        .build(),
                MqttMessageBuilders.publish()
                        .topicName(TOPIC)
                        .qos(MqttQoS.AT_MOST_ONCE)
                        .payload(Unpooled.wrappedBuffer(payload))
                        .build());
    }

    @FunctionalInterface
    private interface Meanwhile {
        void run() throws Exception;
    }

    private static byte[] encode(MqttMessage... messages) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (MqttMessage message : messages) {
            encoder.writeOutbound(message);
            ByteBuf encoded = encoder.readOutbound();
            bytes.writeBytes(ByteBufUtil.getBytes(encoded));
            encoded.release();
        }
        encoder.finishAndReleaseAll();
        return bytes.toByteArray();
    }

    /** The next {@code count} packets from the broker; fewer if it closes the connection or goes quiet for 5 s. */
    private static List<MqttMessage> read(InputStream in, int count) throws Exception {
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder());
        List<MqttMessage> messages = new ArrayList<>();
        byte[] buffer = new byte[4096];
        try {
            while (messages.size() < count) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                for (Object decoded; (decoded = decoder.readInbound()) != null; ) {
                    messages.add((MqttMessage) decoded);
                }
            }
        } catch (SocketTimeoutException quiet) {
            // what came so far is the answer
        }
        decoder.finishAndReleaseAll();
        return messages;
    }

    /** Holds the session loop device-1's commands run on until the latch is counted down, as a backed-up broker. */
    private CountDownLatch busySessionLoopOfDevice1() {
        CountDownLatch release = new CountDownLatch(1);
        PostOffice postOffice = (PostOffice) Moquette017.read(Moquette017.SERVER_DISPATCHER, server);
        postOffice.routeCommand("device-1", "busy session loop", () -> {
            release.await();
            return "device-1";
        });
        return release;
    }
}
