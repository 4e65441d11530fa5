package io.moquette.broker;

import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.Optional;

/**
 * The few things the emulator needs from Moquette 0.17 that its public API does not offer: a client's remote
 * address and channel, and delivering a message to <em>one</em> connection (AWS answers a fleet-provisioning
 * request only on the connection that made it, while {@code Server.internalPublish} reaches every subscriber).
 * It lives in Moquette's package to reach package-private types, and reads two private fields of {@link Server}
 * once; keep it in step when upgrading Moquette.
 */
public final class MoquetteSessions {

    private final SessionRegistry sessions;
    private final PostOffice postOffice;
    private final Field sessionConnection;

    public MoquetteSessions(Server server) {
        try {
            this.sessions = (SessionRegistry) readField(Server.class, "sessions", server);
            this.postOffice = (PostOffice) readField(Server.class, "dispatcher", server);
            this.sessionConnection = Session.class.getDeclaredField("mqttConnection");
            this.sessionConnection.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Moquette version", e);
        }
    }

    /** The remote address of a connected client. */
    public Optional<InetSocketAddress> remoteAddress(String clientId) {
        Session session = sessions.retrieve(clientId);
        return session == null ? Optional.empty() : session.remoteAddress();
    }

    /** The Netty channel of a connected client. */
    public Optional<Channel> channel(String clientId) {
        Session session = sessions.retrieve(clientId);
        if (session == null || !session.connected()) {
            return Optional.empty();
        }
        try {
            MQTTConnection connection = (MQTTConnection) sessionConnection.get(session);
            return connection == null ? Optional.empty() : Optional.of(connection.channel);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
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
                            .ifPresent(granted -> session.sendNotRetainedPublishOnSessionAtQos(topic,
                                    MqttQoS.valueOf(Math.min(qos.value(), granted.value())), payload));
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

    private static Object readField(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
