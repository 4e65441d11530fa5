package io.moquette.broker;

import io.fleetprov.moquette.BrokerInternals;
import io.fleetprov.moquette.UnsupportedMoquetteException;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@link BrokerInternals} for Moquette 0.17. It lives in Moquette's package to call package-private methods, and
 * reads the private fields listed in {@link Moquette017}.
 */
public final class Moquette017Internals implements BrokerInternals {

    private final SessionRegistry sessions;
    private final PostOffice postOffice;
    private final ConnectionHooks hooks;
    private final Object acceptor;

    private Moquette017Internals(Server server) {
        this.sessions = (SessionRegistry) Moquette017.read(Moquette017.SERVER_SESSIONS, server);
        this.postOffice = (PostOffice) Moquette017.read(Moquette017.SERVER_DISPATCHER, server);
        this.hooks = new ConnectionHooks(this);
        this.acceptor = Moquette017.read(Moquette017.SERVER_ACCEPTOR, server);
    }

    /** See {@link BrokerInternals#attach}. */
    public static BrokerInternals attach(Server server) {
        Moquette017.requireSupported();
        var internals = new Moquette017Internals(server);
        SessionLoopRestarter.watch(
                (SessionEventLoopGroup) Moquette017.read(Moquette017.POST_OFFICE_SESSION_LOOPS, internals.postOffice));
        // Moquette 0.17 has no hook into the pipelines it builds. It adds its optional metrics handler, one shared
        // instance, to every new pipeline just before its own "handler"; the emulator runs without those metrics,
        // so that place is free and is where the hooks go. Read per connection, so setting it after start works.
        try {
            Moquette017.accessible(Moquette017.ACCEPTOR_METRICS).set(internals.acceptor, Optional.of(internals.hooks));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        internals.indexSubscriptions();
        return internals;
    }

    /**
     * Puts {@link IndexedSubscriptions} in place of Moquette's directory, in the two places that hold it (final
     * fields, set once here, before any client has connected).
     */
    private void indexSubscriptions() {
        var held = (ISubscriptionsDirectory) Moquette017.read(Moquette017.POST_OFFICE_SUBSCRIPTIONS, postOffice);
        if (held != Moquette017.read(Moquette017.SESSIONS_SUBSCRIPTIONS, sessions) || held.size() != 0) {
            throw new IllegalStateException("attach a Moquette server right after starting it, before clients"
                    + " subscribe; its subscription directory is replaced");
        }
        var indexed = new IndexedSubscriptions();
        try {
            Moquette017.accessible(Moquette017.POST_OFFICE_SUBSCRIPTIONS).set(postOffice, indexed);
            Moquette017.accessible(Moquette017.SESSIONS_SUBSCRIPTIONS).set(sessions, indexed);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress(String clientId) {
        return boundConnection(clientId).map(MQTTConnection::remoteAddress);
    }

    @Override
    public Optional<Channel> channel(String clientId) {
        Session session = sessions.retrieve(clientId);
        if (session == null || !session.connected()) {
            return Optional.empty();
        }
        return boundConnection(clientId).map(connection -> connection.channel);
    }

    @Override
    public void publishTo(String clientId, String topicName, MqttQoS qos, ByteBuf payload) {
        Topic topic = new Topic(topicName);
        // Runs on the client's session loop, which owns the session state.
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

    @Override
    public boolean isConnecting(String clientId) {
        Session session = sessions.retrieve(clientId);
        return session != null && status(session) == Session.SessionStatus.CONNECTING;
    }

    @Override
    public void customizePipelines(Consumer<ChannelPipeline> customizer) {
        hooks.add(customizer);
    }

    /**
     * Moquette 0.17 opens one TLS port, from its configuration, on the acceptor's event loops. A second one is the
     * same private method run again with another port and TLS context, with a handler built as Moquette builds its
     * own: it reaches the same sessions and post office, and its pipelines get the hooks (they read the acceptor's
     * metrics field). Moquette records only the last TLS port it opened, which nothing here reads.
     */
    @Override
    public void listenTls(String host, int port, SslContext tls, IAuthenticator authenticator, Properties config) {
        Properties p = new Properties();
        p.putAll(config);
        p.setProperty("host", host);
        p.setProperty("ssl_port", Integer.toString(port));
        IConfig listenerConfig = new MemoryConfig(p);
        BrokerConfiguration brokerConfig = new BrokerConfiguration(listenerConfig);
        NewNettyMQTTHandler handler =
                new NewNettyMQTTHandler(new MQTTConnectionFactory(brokerConfig, authenticator, sessions, postOffice));
        try {
            Method open = NewNettyAcceptor.class.getDeclaredMethod(
                    Moquette017.ACCEPTOR_SSL_TRANSPORT.name(), Moquette017.ACCEPTOR_SSL_TRANSPORT.parameters());
            open.setAccessible(true);
            open.invoke(acceptor, handler, listenerConfig, tls, brokerConfig);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot open a TLS listener on " + host + ":" + port, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedMoquetteException("cannot call " + Moquette017.ACCEPTOR_SSL_TRANSPORT, e);
        }
    }

    PostOffice postOffice() {
        return postOffice;
    }

    /** The session of the client id, if the connection on {@code channel} holds it. */
    Optional<Session> sessionBoundTo(String clientId, Channel channel) {
        Session session = sessions.retrieve(clientId);
        if (session == null) {
            return Optional.empty();
        }
        MQTTConnection connection = connection(session);
        return connection != null && connection.channel == channel ? Optional.of(session) : Optional.empty();
    }

    /**
     * Puts the QoS 1 messages that a persistent session sent and that were never acknowledged back at the head of
     * its queue, in packet-id order, to go out again on the new connection.
     * <p>
     * Moquette 0.17 numbers each connection's packets from 1 and keeps unacknowledged messages in the session's
     * in-flight window under their old packet ids, so the reconnected client's first messages overwrite them and
     * they are lost (it would resend them only after 5 s of writer idleness). AWS IoT delivers a persistent
     * session's unacknowledged messages when it reconnects, and so does the emulator with this. They go out with new
     * packet ids rather than their original ones and the DUP flag, which a QoS 1 subscriber cannot tell from a
     * redelivery. Must run on the session's loop before anything was sent on the new connection.
     */
    @SuppressWarnings("unchecked")
    void requeueUnacknowledged(Session session) {
        try {
            var window = (Map<Integer, SessionRegistry.EnqueuedMessage>)
                    Moquette017.accessible(Moquette017.SESSION_INFLIGHT_WINDOW).get(session);
            List<Integer> unacknowledged = window.entrySet().stream()
                    .filter(e -> e.getValue() instanceof SessionRegistry.PublishedMessage)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            if (unacknowledged.isEmpty()) {
                return;
            }
            var queue = (SessionMessageQueue<SessionRegistry.EnqueuedMessage>)
                    Moquette017.accessible(Moquette017.SESSION_QUEUE).get(session);
            List<SessionRegistry.EnqueuedMessage> queued = new ArrayList<>();
            for (SessionRegistry.EnqueuedMessage m = queue.dequeue(); m != null; m = queue.dequeue()) {
                queued.add(m);
            }
            // The window's reference to each message moves to the queue with it: no retain or release.
            unacknowledged.forEach(packetId -> queue.enqueue(window.remove(packetId)));
            queued.forEach(queue::enqueue);
            ((Collection<Session.InFlightPacket>) Moquette017.accessible(Moquette017.SESSION_INFLIGHT_TIMEOUTS)
                            .get(session))
                    .removeIf(p -> unacknowledged.contains(p.packetId));
            ((AtomicInteger) Moquette017.accessible(Moquette017.SESSION_INFLIGHT_SLOTS)
                            .get(session))
                    .addAndGet(unacknowledged.size());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lets the session have {@code window} QoS 1 messages in flight to its client. Moquette 0.17 fixes every
     * session's window at 10 ({@code Session.INFLIGHT_WINDOW_SIZE}): its free slots start at 10 and each message in
     * the window holds one. Must run on the session's loop.
     */
    void grantSendWindow(Session session, int window) {
        try {
            var inFlight = (Map<?, ?>)
                    Moquette017.accessible(Moquette017.SESSION_INFLIGHT_WINDOW).get(session);
            var freeSlots = (AtomicInteger)
                    Moquette017.accessible(Moquette017.SESSION_INFLIGHT_SLOTS).get(session);
            freeSlots.addAndGet(window - (freeSlots.get() + inFlight.size()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether Moquette counts the channel's connection as connected: bound to its session, the CONNACK written and
     * the write's listener run. Must run on the channel's event loop, where that listener runs.
     */
    boolean connAckDone(Channel channel) {
        String clientId = NettyUtils.clientID(channel);
        return clientId != null
                && sessionBoundTo(clientId, channel)
                        .map(session -> connection(session).isConnected())
                        .orElse(false);
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
        return Optional.ofNullable(connection(session));
    }

    private static MQTTConnection connection(Session session) {
        return (MQTTConnection) Moquette017.read(Moquette017.SESSION_CONNECTION, session);
    }

    private static Session.SessionStatus status(Session session) {
        return (Session.SessionStatus)
                ((AtomicReference<?>) Moquette017.read(Moquette017.SESSION_STATUS, session)).get();
    }
}
