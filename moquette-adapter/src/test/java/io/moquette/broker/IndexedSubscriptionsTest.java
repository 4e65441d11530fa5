package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.MemorySubscriptionsRepository;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's subscription directory answers every match as Moquette's own would, and is the one the broker uses
 * once attached: a client that unsubscribes or leaves no longer gets what the others subscribed to the same filter
 * still get.
 */
class IndexedSubscriptionsTest {

    private static final List<String> FILTERS = List.of(
            "$aws/certificates/create/json/accepted",
            "a/b",
            "a/b/c",
            "/a",
            "a//b",
            "a/+",
            "+/b",
            "a/#",
            "#",
            "+/+",
            "$aws/#",
            "+/certificates/#");
    private static final List<String> TOPICS =
            List.of("$aws/certificates/create/json/accepted", "a/b", "a/b/c", "/a", "a//b", "a", "x/b", "x");

    private final Server server = new Server();
    private final int port = TestBrokers.freePort();
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        TestBrokers.stop(server, clients.stream());
    }

    @Test
    void everyMatchIsMoquettesOwnAfterAnySequenceOfSubscribesAndRemovals() {
        ISubscriptionsDirectory moquettes = new CTrieSubscriptionDirectory();
        moquettes.init(new MemorySubscriptionsRepository());
        ISubscriptionsDirectory indexed = new IndexedSubscriptions();
        Random random = new Random(20261205);
        for (int step = 0; step < 3_000; step++) {
            String client = "client-" + random.nextInt(12);
            Topic filter = new Topic(FILTERS.get(random.nextInt(FILTERS.size())));
            if (random.nextInt(3) == 0) {
                moquettes.removeSubscription(filter, client);
                indexed.removeSubscription(filter, client);
            } else {
                var subscription = new Subscription(client, filter, MqttQoS.valueOf(random.nextInt(3)));
                moquettes.add(subscription);
                indexed.add(subscription);
            }
            for (String topic : TOPICS) {
                assertThat(described(indexed.matchQosSharpening(new Topic(topic))))
                        .as("step %d, topic %s", step, topic)
                        .isEqualTo(described(moquettes.matchQosSharpening(new Topic(topic))));
                assertThat(described(indexed.matchWithoutQosSharpening(new Topic(topic))))
                        .isEqualTo(described(moquettes.matchWithoutQosSharpening(new Topic(topic))));
            }
            assertThat(indexed.size()).isEqualTo(moquettes.size());
            assertThat(indexed.listAllSessionIds()).isEqualTo(moquettes.listAllSessionIds());
        }
    }

    @Test
    void theBrokerDeliversThroughItToTheClientsStillSubscribed() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)));
        BrokerInternals.attach(server);
        assertThat(Moquette017.read(
                        Moquette017.POST_OFFICE_SUBSCRIPTIONS, Moquette017.read(Moquette017.SERVER_DISPATCHER, server)))
                .isInstanceOf(IndexedSubscriptions.class);

        String filter = "$aws/certificates/create/json/accepted";
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        List<MqttAsyncClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            subscribers.add(subscriber("device-" + i, filter, received));
        }
        subscribers.get(1).unsubscribe(filter).waitForCompletion(5_000);
        subscribers.get(2).disconnect().waitForCompletion(5_000);

        server.internalPublish(
                MqttMessageBuilders.publish()
                        .topicName(filter)
                        .qos(MqttQoS.AT_MOST_ONCE)
                        .payload(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))
                        .build(),
                "test");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        Thread.sleep(200); // and nothing more arrives
        assertThat(received).containsOnlyKeys("device-0", "device-3", "device-4");
    }

    @Test
    void attachingAfterAClientSubscribedIsRefused() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)));
        subscriber("early", "a/b", new ConcurrentHashMap<>());

        assertThatThrownBy(() -> BrokerInternals.attach(server))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before clients subscribe");
    }

    private MqttAsyncClient subscriber(String clientId, String filter, Map<String, List<String>> received)
            throws Exception {
        var client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(client);
        var options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options).waitForCompletion(5_000);
        client.subscribe(
                        filter,
                        1,
                        (topic, message) -> received.computeIfAbsent(clientId, id -> new ArrayList<>())
                                .add(new String(message.getPayload(), StandardCharsets.UTF_8)))
                .waitForCompletion(5_000);
        return client;
    }

    private static Set<String> described(List<Subscription> subscriptions) {
        return subscriptions.stream().map(Subscription::toString).collect(Collectors.toSet());
    }
}
