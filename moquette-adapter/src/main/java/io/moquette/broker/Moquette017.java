package io.moquette.broker;

import io.fleetprov.moquette.UnsupportedMoquetteException;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Moquette this adapter was written against, and every member of it the adapter uses that is not public API:
 * private fields it reads by reflection, and package-private methods and constructors it calls from Moquette's own
 * package. {@link #requireSupported()} checks them all, so another Moquette fails at start with the list of what
 * moved, not later on some client's session loop.
 */
final class Moquette017 {

    static final String VERSION = "0.17";

    private static final String POM_PROPERTIES = "META-INF/maven/io.moquette/moquette-broker/pom.properties";

    /** A member of a Moquette class; {@code parameters} is null for a field. */
    record Member(Class<?> owner, String name, Class<?>... parameters) {

        boolean isField() {
            return parameters == null;
        }

        boolean exists() {
            try {
                if (isField()) {
                    owner.getDeclaredField(name);
                } else if (name.equals("<init>")) {
                    owner.getDeclaredConstructor(parameters);
                } else {
                    owner.getDeclaredMethod(name, parameters);
                }
                return true;
            } catch (NoSuchFieldException | NoSuchMethodException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            String simple = owner.getSimpleName() + (isField() ? "." : "#") + name;
            return isField()
                    ? simple
                    : simple
                            + Arrays.stream(parameters)
                                    .map(Class::getSimpleName)
                                    .toList()
                                    .toString()
                                    .replace('[', '(')
                                    .replace(']', ')');
        }
    }

    static final Member SERVER_SESSIONS = field(Server.class, "sessions");
    static final Member SERVER_DISPATCHER = field(Server.class, "dispatcher");
    static final Member SERVER_ACCEPTOR = field(Server.class, "acceptor");
    static final Member ACCEPTOR_METRICS = field(NewNettyAcceptor.class, "metrics");
    static final Member POST_OFFICE_SESSION_LOOPS = field(PostOffice.class, "sessionLoops");
    static final Member POST_OFFICE_SUBSCRIPTIONS = field(PostOffice.class, "subscriptions");
    static final Member SESSIONS_SUBSCRIPTIONS = field(SessionRegistry.class, "subscriptionsDirectory");
    static final Member LOOP_GROUP_EXECUTORS = field(SessionEventLoopGroup.class, "sessionExecutors");
    static final Member LOOP_GROUP_QUEUES = field(SessionEventLoopGroup.class, "sessionQueues");
    static final Member SESSION_CONNECTION = field(Session.class, "mqttConnection");
    static final Member SESSION_STATUS = field(Session.class, "status");
    static final Member SESSION_QUEUE = field(Session.class, "sessionQueue");
    static final Member SESSION_INFLIGHT_WINDOW = field(Session.class, "inflightWindow");
    static final Member SESSION_INFLIGHT_TIMEOUTS = field(Session.class, "inflightTimeouts");
    static final Member SESSION_INFLIGHT_SLOTS = field(Session.class, "inflightSlots");

    /** Private: opens Moquette's TLS listener from a configuration; called by reflection for a second listener. */
    static final Member ACCEPTOR_SSL_TRANSPORT = method(
            NewNettyAcceptor.class,
            "initializeSSLTCPTransport",
            NewNettyMQTTHandler.class,
            IConfig.class,
            SslContext.class,
            BrokerConfiguration.class);

    /** Package-private methods and constructors called directly; a missing one would fail only when first called. */
    static final List<Member> CALLED = List.of(
            method(SessionRegistry.class, "retrieve", String.class),
            method(Session.class, "connected"),
            method(Session.class, "isClean"),
            method(Session.class, "getSubscriptions"),
            method(Session.class, "pubAckReceived", int.class),
            method(Session.class, "sendNotRetainedPublishOnSessionAtQos", Topic.class, MqttQoS.class, ByteBuf.class),
            method(MQTTConnection.class, "remoteAddress"),
            method(MQTTConnection.class, "isConnected"),
            field(MQTTConnection.class, "channel"),
            method(PostOffice.class, "routeCommand", String.class, String.class, Callable.class),
            method(SessionEventLoop.class, "<init>", BlockingQueue.class),
            method(BrokerConfiguration.class, "<init>", IConfig.class),
            method(
                    MQTTConnectionFactory.class,
                    "<init>",
                    BrokerConfiguration.class,
                    IAuthenticator.class,
                    SessionRegistry.class,
                    PostOffice.class),
            method(NewNettyMQTTHandler.class, "<init>", MQTTConnectionFactory.class),
            ACCEPTOR_SSL_TRANSPORT);

    static final List<Member> REFLECTED = List.of(
            SERVER_SESSIONS,
            SERVER_DISPATCHER,
            SERVER_ACCEPTOR,
            ACCEPTOR_METRICS,
            POST_OFFICE_SESSION_LOOPS,
            POST_OFFICE_SUBSCRIPTIONS,
            SESSIONS_SUBSCRIPTIONS,
            LOOP_GROUP_EXECUTORS,
            LOOP_GROUP_QUEUES,
            SESSION_CONNECTION,
            SESSION_STATUS,
            SESSION_QUEUE,
            SESSION_INFLIGHT_WINDOW,
            SESSION_INFLIGHT_TIMEOUTS,
            SESSION_INFLIGHT_SLOTS);

    private static final Map<Member, Field> FIELDS = new ConcurrentHashMap<>();

    private Moquette017() {}

    /** The version in the Moquette jar's Maven metadata, if the jar carries it. */
    static Optional<String> runningVersion() {
        try (InputStream in = Server.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties pom = new Properties();
            pom.load(in);
            return Optional.ofNullable(pom.getProperty("version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every member the adapter uses that is missing from the Moquette on the class path. */
    static List<Member> missingMembers() {
        List<Member> missing = new ArrayList<>();
        for (Member member : REFLECTED) {
            if (!member.exists()) {
                missing.add(member);
            }
        }
        for (Member member : CALLED) {
            if (!member.exists()) {
                missing.add(member);
            }
        }
        return missing;
    }

    static void requireSupported() {
        Optional<String> version = runningVersion();
        if (version.isPresent() && !version.get().equals(VERSION)) {
            throw new UnsupportedMoquetteException("Moquette " + version.get() + " is on the class path; the"
                    + " moquette-adapter module works around Moquette " + VERSION + " only (see its README.md)");
        }
        List<Member> missing = missingMembers();
        if (!missing.isEmpty()) {
            throw new UnsupportedMoquetteException("Moquette " + version.orElse("(version unknown)")
                    + " lacks members the moquette-adapter module uses: " + missing);
        }
    }

    /** The value of a private field listed in {@link #REFLECTED}. */
    static Object read(Member member, Object target) {
        try {
            return accessible(member).get(target);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedMoquetteException("cannot read " + member, e);
        }
    }

    static Field accessible(Member member) {
        return FIELDS.computeIfAbsent(member, Moquette017::lookUp);
    }

    private static Field lookUp(Member member) {
        if (!REFLECTED.contains(member)) {
            throw new IllegalArgumentException(member + " is not listed in Moquette017.REFLECTED");
        }
        try {
            Field field = member.owner().getDeclaredField(member.name());
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new UnsupportedMoquetteException("Moquette has no field " + member, e);
        }
    }

    private static Member field(Class<?> owner, String name) {
        return new Member(owner, name, (Class<?>[]) null);
    }

    private static Member method(Class<?> owner, String name, Class<?>... parameters) {
        return new Member(owner, name, parameters);
    }
}
