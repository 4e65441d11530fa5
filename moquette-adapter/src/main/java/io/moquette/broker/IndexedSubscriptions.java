package io.moquette.broker;

import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Moquette's subscription directory, with subscribing and unsubscribing at a cost that does not grow with how many
 * clients hold the same filter. In 0.17 every subscribe and every removal copies the list of all subscriptions of
 * its filter's trie node ({@code CNode.copy}; a removal also scans it), and every removal scans the in-memory
 * repository of all subscriptions from the start ({@code MemorySubscriptionsRepository.removeSubscription}). Every
 * device in the middle of provisioning subscribes to the same few {@code $aws/...} filters, so each device cost
 * O(devices in flight): 22 µs for 4 subscribes and 4 removals with 100 devices in flight, 480 µs with 2,000.
 *
 * <p>Filters without wildcards (all of fleet provisioning's) are kept in a hash index, filter to client id to
 * subscription; filters with wildcards stay in Moquette's own trie, so their matching is Moquette's, with a
 * repository that removes in O(log n). For a client that subscribes to a filter it holds, the higher QoS is kept,
 * as Moquette's trie does.
 */
final class IndexedSubscriptions implements ISubscriptionsDirectory {

    private final Map<String, Map<String, Subscription>> exact = new ConcurrentHashMap<>();
    private final CTrieSubscriptionDirectory wildcards = new CTrieSubscriptionDirectory();

    IndexedSubscriptions() {
        wildcards.init(new SortedRepository());
    }

    /** Subscriptions held by the server: none, since this replaces the directory before any client connects. */
    @Override
    public void init(ISubscriptionsRepository repository) {
        throw new UnsupportedOperationException("replaces Moquette's directory after start; nothing to reload");
    }

    @Override
    public Set<String> listAllSessionIds() {
        Set<String> ids = new HashSet<>(wildcards.listAllSessionIds());
        exact.values().forEach(byClient -> ids.addAll(byClient.keySet()));
        return ids;
    }

    @Override
    public List<Subscription> matchWithoutQosSharpening(Topic topic) {
        List<Subscription> matches = wildcards.matchWithoutQosSharpening(topic);
        Map<String, Subscription> byClient = exact.get(topic.toString());
        if (byClient == null) {
            return matches;
        }
        List<Subscription> all = new ArrayList<>(matches.size() + byClient.size());
        all.addAll(matches);
        all.addAll(byClient.values());
        return all;
    }

    /** As Moquette's: one subscription per client, the one of highest QoS among those matching. */
    @Override
    public List<Subscription> matchQosSharpening(Topic topic) {
        Map<String, Subscription> byClient = new HashMap<>();
        for (Subscription subscription : matchWithoutQosSharpening(topic)) {
            byClient.merge(subscription.getClientId(), subscription, IndexedSubscriptions::higherQos);
        }
        return new ArrayList<>(byClient.values());
    }

    @Override
    public void add(Subscription subscription) {
        String filter = subscription.getTopicFilter().toString();
        if (hasWildcard(filter)) {
            wildcards.add(subscription);
            return;
        }
        exact.compute(filter, (key, byClient) -> {
            Map<String, Subscription> held = byClient == null ? new ConcurrentHashMap<>() : byClient;
            held.merge(subscription.getClientId(), subscription, IndexedSubscriptions::higherQos);
            return held;
        });
    }

    @Override
    public void removeSubscription(Topic topic, String clientId) {
        String filter = topic.toString();
        if (hasWildcard(filter)) {
            wildcards.removeSubscription(topic, clientId);
            return;
        }
        exact.computeIfPresent(filter, (key, byClient) -> {
            byClient.remove(clientId);
            return byClient.isEmpty() ? null : byClient;
        });
    }

    @Override
    public int size() {
        return wildcards.size() + exact.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public String dumpTree() {
        return wildcards.dumpTree() + "\nfilters without wildcards: " + exact;
    }

    private static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    private static Subscription higherQos(Subscription held, Subscription added) {
        return held.qosLessThan(added) ? added : held;
    }

    /**
     * Moquette's in-memory repository, with removal by key. Subscriptions are ordered and equal by client id and
     * filter alone, so a subscription built with any QoS finds the one held.
     */
    private static final class SortedRepository implements ISubscriptionsRepository {

        private final Set<Subscription> subscriptions = new ConcurrentSkipListSet<>();

        @Override
        public Set<Subscription> listAllSubscriptions() {
            return Collections.unmodifiableSet(subscriptions);
        }

        @Override
        public void addNewSubscription(Subscription subscription) {
            subscriptions.add(subscription);
        }

        @Override
        public void removeSubscription(String topic, String clientId) {
            subscriptions.remove(new Subscription(clientId, new Topic(topic), MqttQoS.AT_MOST_ONCE));
        }
    }
}
