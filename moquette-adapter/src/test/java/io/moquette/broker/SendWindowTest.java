package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker has as many QoS 1 messages unacknowledged at a client as AWS IoT Core allows (100), where Moquette
 * 0.17 alone stops at 10; fewer when the connection asks for fewer (an MQTT 5 client's Receive Maximum), and as
 * many again on a persistent session's next connection.
 */
class SendWindowTest {

    private static final String TOPIC = "audit/events";

    private final Server server = new Server();
    private final int port = TestBrokers.freePort();
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private BrokerInternals internals;

    private void start() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)));
        internals = BrokerInternals.attach(server);
    }

    @AfterEach
    void stop() throws Exception {
        TestBrokers.stop(server, clients.stream());
    }

    @Test
    void aSubscriberThatAcknowledgesNothingGetsAwsWindowOfMessages() throws Exception {
        start();
        BlockingQueue<Integer> unacknowledged = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = subscriber("audit-service", true, unacknowledged);
        publish(150);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> unacknowledged.size() >= BrokerInternals.DEFAULT_SEND_WINDOW);
        assertWindowStaysAt(unacknowledged, BrokerInternals.DEFAULT_SEND_WINDOW);

        // Each PUBACK lets exactly one more message go out.
        for (int i = 0; i < 5; i++) {
            subscriber.messageArrivedComplete(unacknowledged.take(), 1);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> unacknowledged.size() >= BrokerInternals.DEFAULT_SEND_WINDOW);
        assertWindowStaysAt(unacknowledged, BrokerInternals.DEFAULT_SEND_WINDOW);
    }

    @Test
    void aConnectionThatAsksForFewerGetsFewer() throws Exception {
        start();
        internals.customizePipelines(
                pipeline -> pipeline.channel().attr(BrokerInternals.SEND_WINDOW).set(5));
        BlockingQueue<Integer> unacknowledged = new LinkedBlockingQueue<>();
        subscriber("small-device", true, unacknowledged);
        publish(20);

        await().atMost(Duration.ofSeconds(10)).until(() -> unacknowledged.size() >= 5);
        assertWindowStaysAt(unacknowledged, 5);
    }

    @Test
    void aPersistentSessionHasTheSameWindowOnItsNextConnection() throws Exception {
        start();
        BlockingQueue<Integer> first = new LinkedBlockingQueue<>();
        MqttAsyncClient firstConnection = subscriber("audit-service", false, first);
        publish(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() >= 10);
        firstConnection.disconnectForcibly(100, 100);
        publish(140);

        BlockingQueue<Integer> second = new LinkedBlockingQueue<>();
        connect("audit-service", false, second);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.size() >= BrokerInternals.DEFAULT_SEND_WINDOW);
        assertWindowStaysAt(second, BrokerInternals.DEFAULT_SEND_WINDOW);
    }

    private static void assertWindowStaysAt(BlockingQueue<Integer> unacknowledged, int window) {
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(unacknowledged).hasSize(window));
    }

    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            server.internalPublish(
                    MqttMessageBuilders.publish()
                            .topicName(TOPIC)
                            .qos(MqttQoS.AT_LEAST_ONCE)
                            .retained(false)
                            .payload(Unpooled.copiedBuffer("event " + i, StandardCharsets.UTF_8))
                            .build(),
                    "test");
        }
    }

    private MqttAsyncClient subscriber(String clientId, boolean clean, BlockingQueue<Integer> unacknowledged)
            throws Exception {
        MqttAsyncClient client = connect(clientId, clean, unacknowledged);
        client.subscribe(TOPIC, 1).waitForCompletion(10_000);
        return client;
    }

    private MqttAsyncClient connect(String clientId, boolean clean, BlockingQueue<Integer> unacknowledged)
            throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(client);
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                unacknowledged.add(message.getId());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(clean);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }
}
