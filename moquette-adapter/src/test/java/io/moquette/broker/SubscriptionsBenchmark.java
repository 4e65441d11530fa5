package io.moquette.broker;

import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.MemorySubscriptionsRepository;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a device's subscriptions cost the broker's directory while others are provisioning: with N devices in flight,
 * each subscribed to fleet provisioning's four reply filters, one more device subscribes to the four and one
 * finished device's four are removed. Prints µs per device for Moquette 0.17's directory and the adapter's, and
 * their ratio. Run: {@code ./mvnw -o -pl moquette-adapter test -Dtest=SubscriptionsBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SubscriptionsBenchmark {

    private static final List<Topic> REPLY_FILTERS = List.of(
            new Topic("$aws/certificates/create-from-csr/json/accepted"),
            new Topic("$aws/certificates/create-from-csr/json/rejected"),
            new Topic("$aws/provisioning-templates/bench-template/provision/json/accepted"),
            new Topic("$aws/provisioning-templates/bench-template/provision/json/rejected"));
    private static final int DEVICES = 20_000;

    @Test
    void perDeviceCostByDevicesInFlight() {
        System.out.println("subscriptions: us per device (4 subscribes, 4 removals) by devices in flight");
        System.out.printf("%10s %12s %12s %8s%n", "in flight", "Moquette", "adapter", "ratio");
        for (int inFlight : new int[] {100, 500, 2_000, 10_000}) {
            double moquettes = usPerDevice(inFlight, SubscriptionsBenchmark::moquettes);
            double indexed = usPerDevice(inFlight, IndexedSubscriptions::new);
            System.out.printf("%10d %12.1f %12.1f %7.1fx%n", inFlight, moquettes, indexed, moquettes / indexed);
        }
    }

    private static ISubscriptionsDirectory moquettes() {
        var directory = new CTrieSubscriptionDirectory();
        directory.init(new MemorySubscriptionsRepository());
        return directory;
    }

    /** The best of five rounds, each from a fresh directory holding {@code inFlight} devices. */
    private static double usPerDevice(int inFlight, Supplier<ISubscriptionsDirectory> directories) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            ISubscriptionsDirectory directory = directories.get();
            for (int device = 0; device < inFlight; device++) {
                subscribe(directory, device);
            }
            int devices = Math.max(1_000, DEVICES / Math.max(1, inFlight / 500));
            long start = System.nanoTime();
            for (int device = 0; device < devices; device++) {
                subscribe(directory, inFlight + device);
                for (Topic filter : REPLY_FILTERS) {
                    directory.removeSubscription(filter, clientId(device));
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e3 / devices);
        }
        return best;
    }

    private static void subscribe(ISubscriptionsDirectory directory, int device) {
        for (Topic filter : REPLY_FILTERS) {
            directory.add(new Subscription(clientId(device), filter, MqttQoS.AT_LEAST_ONCE));
        }
    }

    private static String clientId(int device) {
        return String.format("sim-20261205-042907-r702-%06d", device);
    }
}
