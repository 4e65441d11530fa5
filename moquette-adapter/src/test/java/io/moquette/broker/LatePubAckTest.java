package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The root of the {@code IllegalReferenceCountException: refCnt: 0, decrement: 1} that ended session loops under
 * load: a PUBACK that Moquette handles after a newer connection of the same client id took over and destroyed the
 * clean session it acknowledges. The take-over's clean-up released the session's in-flight messages; Moquette 0.17
 * then hands the late PUBACK to that destroyed session, which releases the acknowledged message again. The session
 * loop of the client id is held still so that the order (take-over, then the late PUBACK) is certain.
 */
class LatePubAckTest {

    private static final String CLIENT_ID = "device-1";

    private final Server server = new Server();
    private final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();
    private final int port = TestBrokers.freePort();
    private PostOffice postOffice;
    private MqttAsyncClient first;
    private MqttAsyncClient second;

    @BeforeEach
    void start() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)), List.of(new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "loop-errors";
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                loopErrors.add(error);
            }
        }));
        BrokerInternals.attach(server);
        postOffice = (PostOffice) Moquette017.read(Moquette017.SERVER_DISPATCHER, server);
    }

    @AfterEach
    void stop() throws Exception {
        TestBrokers.stop(server, Stream.of(first, second));
    }

    @Test
    void aPubAckThatArrivesAfterItsSessionWasTakenOverReleasesNothingTwice() throws Exception {
        BlockingQueue<Integer> delivered = new LinkedBlockingQueue<>();
        first = new MqttAsyncClient("tcp://127.0.0.1:" + port, CLIENT_ID, new MemoryPersistence());
        first.setManualAcks(true);
        first.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                delivered.add(message.getId());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        first.connect(options()).waitForCompletion(10_000);
        first.subscribe("devices/" + CLIENT_ID, 1).waitForCompletion(10_000);
        server.internalPublish(
                MqttMessageBuilders.publish()
                        .topicName("devices/" + CLIENT_ID)
                        .qos(MqttQoS.AT_LEAST_ONCE)
                        .retained(false)
                        .payload(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))
                        .build(),
                "test");
        Integer packetId = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(packetId)
                .as("the first connection got the message and holds its PUBACK")
                .isNotNull();

        CountDownLatch release = new CountDownLatch(1);
        postOffice.routeCommand(CLIENT_ID, "hold the loop", () -> {
            release.await();
            return CLIENT_ID;
        });
        BlockingQueue<?> loopQueue = loopQueueOf(CLIENT_ID);
        await().atMost(Duration.ofSeconds(5)).until(loopQueue::isEmpty);

        second = new MqttAsyncClient("tcp://127.0.0.1:" + port, CLIENT_ID, new MemoryPersistence());
        IMqttToken secondConnected = second.connect(options());
        // its CONNECT, and the adapter's take-over of the session behind it
        await().atMost(Duration.ofSeconds(5)).until(() -> loopQueue.size() == 2);
        first.messageArrivedComplete(packetId, 1);
        // the late PUBACK, then the flush Moquette routes after each read
        await().atMost(Duration.ofSeconds(5)).until(() -> loopQueue.size() >= 4);
        release.countDown();

        secondConnected.waitForCompletion(10_000);
        var after = postOffice.routeCommand(CLIENT_ID, "after the late PUBACK", () -> CLIENT_ID);
        assertThat(after.completableFuture()).succeedsWithin(Duration.ofSeconds(5));
        // Loop errors reach interceptors through Moquette's interceptor thread, a moment later.
        await("no session loop error after the late PUBACK")
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(
                        () -> assertThat(loopErrors).as("session loop errors").isEmpty());
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        return options;
    }

    private BlockingQueue<?> loopQueueOf(String clientId) {
        var group = (SessionEventLoopGroup) Moquette017.read(Moquette017.POST_OFFICE_SESSION_LOOPS, postOffice);
        var queues = (BlockingQueue<?>[]) Moquette017.read(Moquette017.LOOP_GROUP_QUEUES, group);
        return queues[group.targetQueueOrdinal(clientId)];
    }
}
