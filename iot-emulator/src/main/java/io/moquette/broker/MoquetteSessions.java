package io.moquette.broker;

import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The few things the emulator needs from Moquette 0.17 that its public API does not offer: a client's remote
 * address and channel, redelivering a reopened session's unacknowledged messages, and delivering a message to
 * <em>one</em> connection (AWS answers a fleet-provisioning request only on the connection that made it, while
 * {@code Server.internalPublish} reaches every subscriber). It lives in Moquette's package to reach package-private
 * types, and reads private fields of {@link Server} and {@link Session}; keep it in step when upgrading Moquette.
 */
public final class MoquetteSessions {

    private final SessionRegistry sessions;
    private final PostOffice postOffice;
    private final Field sessionConnection;
    private final Field sessionStatus;
    private final Field sessionQueue;
    private final Field inflightWindow;
    private final Field inflightTimeouts;
    private final Field inflightSlots;

    public MoquetteSessions(Server server) {
        try {
            this.sessions = (SessionRegistry) readField(Server.class, "sessions", server);
            this.postOffice = (PostOffice) readField(Server.class, "dispatcher", server);
            this.sessionConnection = sessionField("mqttConnection");
            this.sessionStatus = sessionField("status");
            this.sessionQueue = sessionField("sessionQueue");
            this.inflightWindow = sessionField("inflightWindow");
            this.inflightTimeouts = sessionField("inflightTimeouts");
            this.inflightSlots = sessionField("inflightSlots");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Moquette version", e);
        }
    }

    /**
     * The remote address of the connection holding the client id, from the moment Moquette binds it to the session
     * (before CONNACK is written) until it ends. Moquette's own {@code Session.remoteAddress()} answers only once
     * the CONNACK write has completed, but a client may publish as soon as it reads the CONNACK, and that publish
     * must be judged by its certificate.
     */
    public Optional<InetSocketAddress> remoteAddress(String clientId) {
        return boundConnection(clientId).map(MQTTConnection::remoteAddress);
    }

    /** The Netty channel of a connected client. */
    public Optional<Channel> channel(String clientId) {
        Session session = sessions.retrieve(clientId);
        if (session == null || !session.connected()) {
            return Optional.empty();
        }
        return boundConnection(clientId).map(connection -> connection.channel);
    }

    /**
     * Publishes to one client only, and only if it is connected and subscribed to a filter matching the topic
     * (AWS does not keep answers for clients that did not subscribe). QoS is the lower of the subscription's and
     * {@code qos}. Runs on the client's session loop, which owns the session state. The payload is released.
     */
    public void publishTo(String clientId, String topicName, MqttQoS qos, ByteBuf payload) {
        Topic topic = new Topic(topicName);
        PostOffice.RouteResult result = postOffice.routeCommand(clientId, "direct reply", () -> {
            try {
                Session session = sessions.retrieve(clientId);
                if (session != null && session.connected()) {
                    session.getSubscriptions().stream()
                            .filter(s -> topic.match(s.getTopicFilter()))
                            .map(Subscription::getRequestedQos)
                            .max(Comparator.comparingInt(MqttQoS::value))
                            .ifPresent(granted -> session.sendNotRetainedPublishOnSessionAtQos(
                                    topic, MqttQoS.valueOf(Math.min(qos.value(), granted.value())), payload));
                }
            } finally {
                payload.release();
            }
            return clientId;
        });
        if (!result.isSuccess()) {
            payload.release();
        }
    }

    /**
     * Whether a new connection of the client id is between CONNECT and the end of CONNACK: its session is being
     * created or reopened (a persistent session's old connection, if any, is already closed).
     */
    public boolean isConnecting(String clientId) {
        Session session = sessions.retrieve(clientId);
        return session != null && status(session) == Session.SessionStatus.CONNECTING;
    }

    /**
     * Puts the QoS 1 messages that a persistent session sent and that were never acknowledged back at the head of
     * its queue, in packet-id order, to go out again on the next connection.
     * <p>
     * Moquette 0.17 numbers each connection's packets from 1 and keeps unacknowledged messages in the session's
     * in-flight window under their old packet ids, so the reconnected client's first messages overwrite them and
     * they are lost (it would resend them only after 5 s of writer idleness). AWS IoT delivers a persistent
     * session's unacknowledged messages when it reconnects, and so does the emulator with this. They go out
     * with new packet ids rather than their original ones and the DUP flag, which a QoS 1 subscriber cannot tell
     * from a redelivery. Must run on the session's loop while {@link #isConnecting}.
     */
    @SuppressWarnings("unchecked")
    public void requeueUnacknowledged(String clientId) {
        Session session = sessions.retrieve(clientId);
        try {
            var window = (Map<Integer, SessionRegistry.EnqueuedMessage>) inflightWindow.get(session);
            List<Integer> unacknowledged = window.entrySet().stream()
                    .filter(e -> e.getValue() instanceof SessionRegistry.PublishedMessage)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            if (unacknowledged.isEmpty()) {
                return;
            }
            var queue = (SessionMessageQueue<SessionRegistry.EnqueuedMessage>) sessionQueue.get(session);
            List<SessionRegistry.EnqueuedMessage> queued = new ArrayList<>();
            for (SessionRegistry.EnqueuedMessage m = queue.dequeue(); m != null; m = queue.dequeue()) {
                queued.add(m);
            }
            // The window's reference to each message moves to the queue with it: no retain or release.
            unacknowledged.forEach(packetId -> queue.enqueue(window.remove(packetId)));
            queued.forEach(queue::enqueue);
            ((Collection<Session.InFlightPacket>) inflightTimeouts.get(session))
                    .removeIf(p -> unacknowledged.contains(p.packetId));
            ((AtomicInteger) inflightSlots.get(session)).addAndGet(unacknowledged.size());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<MQTTConnection> boundConnection(String clientId) {
        Session session = sessions.retrieve(clientId);
        if (session == null) {
            return Optional.empty();
        }
        Session.SessionStatus status = status(session);
        if (status != Session.SessionStatus.CONNECTING && status != Session.SessionStatus.CONNECTED) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((MQTTConnection) sessionConnection.get(session));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Session.SessionStatus status(Session session) {
        try {
            return (Session.SessionStatus) ((AtomicReference<?>) sessionStatus.get(session)).get();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field sessionField(String name) throws NoSuchFieldException {
        Field field = Session.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Object readField(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
