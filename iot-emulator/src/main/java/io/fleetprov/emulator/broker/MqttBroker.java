package io.fleetprov.emulator.broker;

import io.fleetprov.emulator.broker.mqtt5.Mqtt5Limits;
import io.fleetprov.emulator.broker.mqtt5.Mqtt5Translator;
import io.fleetprov.emulator.broker.mqtt5.ServerDisconnects;
import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.IssuedCertificate;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.moquette.BrokerInternals;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.InterceptHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's MQTT endpoint: Moquette 0.17 speaking MQTT 3.1.1, and MQTT 5 through {@link Mqtt5Translator}, over
 * TLS only, with a client certificate
 * required and checked against the registry, AWS IoT policies on every publish and subscribe, and the
 * fleet-provisioning API answered in-process.
 */
public final class MqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBroker.class);

    /** The ALPN protocol AWS IoT's device SDKs offer for MQTT with a client certificate. */
    public static final String AWS_MQTT_ALPN = "x-amzn-mqtt-ca";

    /** Room for the fixed and variable headers on top of AWS's 128 KB payload limit. */
    private static final int FRAME_ALLOWANCE_BYTES = 1024;

    /**
     * RegisterThing's threads, apart from the certificate operations' (one per core): a registration waits for its
     * template's pre-provisioning hook, up to the hook's deadline, and on AWS a slow hook delays only its own
     * devices. With one pool, as many slow hooks as cores stalled every device's provisioning. Bounded, so a slow hook
     * holds at most this many of the emulator's files as HTTP connections; registrations beyond wait their turn.
     */
    static final int REGISTRATION_THREADS = 32;

    private final Server server = new Server();
    private final ScheduledExecutorService housekeeping;
    private final ExecutorService workers;
    private final ExecutorService registrations;
    private final BrokerInternals sessions;
    private final SslContext tls;
    private final int port;
    private final String bindHost;
    private volatile int alpnPort = -1;
    private volatile PolicyAuthorizer authorizer;
    private final ConnectionAdmission admission;
    private final PresenceEvents presence;
    private final ConnectionCap connectionCap;

    /** Receives every answer of the fleet-provisioning API before it is delivered; may veto it. */
    public interface ReplyFilter {
        boolean deliver(String clientId, String topic, boolean accepted);
    }

    private volatile ReplyFilter replyFilter = (clientId, topic, accepted) -> true;

    private MqttBroker(
            String bindHost,
            int port,
            Collection<String> hostNames,
            CertificateAuthority ca,
            Registry registry,
            FleetProvisioningService provisioning,
            Clock clock,
            List<InterceptHandler> extraHandlers) {
        this.port = port;
        this.bindHost = bindHost;
        this.tls = serverContext(ca, hostNames, registry, clock);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("emulator-broker-housekeeping"));
        this.workers = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("emulator-provisioning"));
        this.registrations = Executors.newFixedThreadPool(REGISTRATION_THREADS, daemon("emulator-registration"));
        try {
            server.startServer(
                    new MemoryConfig(properties(bindHost, port)),
                    List.of(),
                    () -> tls,
                    new CertificateAuthenticated(),
                    new DeferredAuthorizer());
            this.sessions = BrokerInternals.attach(server);
            this.connectionCap = ConnectionCap.forThisProcess(clock);
            sessions.customizePipelines(pipeline -> pipeline.addFirst(ConnectionCap.NAME, connectionCap));
            LOG.info(
                    "broker holds up to {} connections (open-file limit {})",
                    connectionCap.cap(),
                    connectionCap.openFileLimit());
            var identities = new ClientIdentities(registry);
            this.authorizer = new PolicyAuthorizer(identities, registry, this::disconnectSoon);
            this.admission = new ConnectionAdmission(registry, authorizer, identities, clock, this::dropRevoked);
            ConnectionAdmission gate = this.admission;
            Mqtt5Limits limits = Mqtt5Limits.aws(maxPacketBytes(), ConnectionLifecycle::clampKeepAlive);
            BrokerInternals connections = this.sessions;
            // MQTT 5 clients are served by a stage between Moquette's codec and Moquette, which speaks 3.1.1 only.
            connections.addAfterCodec(Mqtt5Translator.NAME, () -> new Mqtt5Translator(limits, connections::channel));
            // Added after the translator, so it sits before it: every CONNECT is decided before anything acts on it.
            connections.addAfterCodec(ConnectionGate.NAME, () -> new ConnectionGate(gate));
            this.presence = new PresenceEvents(sessions, this::publishEvent, clock);
            server.addInterceptHandler(new ConnectionLifecycle(sessions));
            server.addInterceptHandler(presence);
            server.addInterceptHandler(
                    new ProvisioningRequestHandler(provisioning, identities, this::reply, workers, registrations));
            extraHandlers.forEach(server::addInterceptHandler);
        } catch (IOException e) {
            workers.shutdownNow();
            registrations.shutdownNow();
            housekeeping.shutdownNow();
            throw new UncheckedIOException("cannot start the MQTT broker on port " + port, e);
        }
        // Deactivating, revoking or deleting a certificate closes its connections within a second, as on AWS.
        housekeeping.scheduleWithFixedDelay(admission::dropRevoked, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the broker on {@code bindHost:port}. The server certificate covers localhost, 127.0.0.1 and
     * {@code hostNames}. {@code extraHandlers} see every connection and publish (events, fault injection).
     */
    public static MqttBroker start(
            String bindHost,
            int port,
            Collection<String> hostNames,
            CertificateAuthority ca,
            Registry registry,
            FleetProvisioningService provisioning,
            Clock clock,
            List<InterceptHandler> extraHandlers) {
        return new MqttBroker(bindHost, port, hostNames, ca, registry, provisioning, clock, extraHandlers);
    }

    public int port() {
        return port;
    }

    /**
     * Opens a second MQTT port that behaves as AWS IoT's 443: the TLS handshake must negotiate ALPN {@code
     * x-amzn-mqtt-ca}; a connection that did not is closed before any MQTT is read. Same certificate rules, same
     * broker. Once.
     */
    public synchronized void listenWithAlpnRequired(String host, int alpnPort) {
        if (this.alpnPort >= 0) {
            throw new IllegalStateException("the ALPN port is already open: " + this.alpnPort);
        }
        this.alpnPort = alpnPort;
        sessions.customizePipelines(pipeline -> {
            if (pipeline.channel().localAddress() instanceof InetSocketAddress local && local.getPort() == alpnPort) {
                pipeline.addAfter(
                        pipeline.context(SslHandler.class).name(), AlpnRequired.NAME, new AlpnRequired(AWS_MQTT_ALPN));
            }
        });
        sessions.listenTls(host, alpnPort, tls, new CertificateAuthenticated(), properties(bindHost, port));
    }

    /** The port requiring ALPN, or -1 when none was opened. */
    public int alpnPort() {
        return alpnPort;
    }

    /** The most connections the broker holds at once: this process's open-file limit less what it needs itself. */
    public int maxConnections() {
        return connectionCap.cap();
    }

    public void setReplyFilter(ReplyFilter filter) {
        this.replyFilter = filter;
    }

    /** Publishes an event at QoS 1 to every subscriber, as AWS does for registry and lifecycle events. */
    public void publishEvent(String topic, byte[] payload) {
        publish(topic, payload, MqttQoS.AT_LEAST_ONCE);
    }

    /** Publishes to every subscriber. */
    public void publish(String topic, byte[] payload, MqttQoS qos) {
        server.internalPublish(
                MqttMessageBuilders.publish()
                        .topicName(topic)
                        .qos(qos)
                        .retained(false)
                        .payload(Unpooled.wrappedBuffer(payload))
                        .build(),
                "iot-emulator");
    }

    /** Drops a client's connection from the server side (its disconnected event says so). */
    public void disconnect(String clientId) {
        presence.willDisconnect(clientId, "SERVER_INITIATED_DISCONNECT");
        sessions.channel(clientId)
                .ifPresent(c -> ServerDisconnects.mark(c, MqttReasonCodes.Disconnect.ADMINISTRATIVE_ACTION));
        server.disconnectClient(clientId);
    }

    /** Client ids of the connected clients. */
    public List<String> connectedClients() {
        List<String> ids = new ArrayList<>();
        server.listConnectedClients().forEach(c -> ids.add(c.getClientID()));
        return ids;
    }

    @Override
    public void close() {
        presence.close();
        server.stopServer();
        workers.shutdownNow();
        registrations.shutdownNow();
        housekeeping.shutdownNow();
    }

    private void reply(String clientId, String topic, byte[] payload, boolean accepted) {
        if (replyFilter.deliver(clientId, topic, accepted)) {
            sessions.publishTo(clientId, topic, MqttQoS.AT_LEAST_ONCE, Unpooled.wrappedBuffer(payload));
        }
    }

    /**
     * Drops a client that broke its policy, outside Moquette's session loop, which must not be re-entered by a
     * disconnect.
     */
    private void disconnectSoon(String clientId) {
        presence.willDisconnect(clientId, "FORBIDDEN_ACCESS");
        sessions.channel(clientId).ifPresent(c -> ServerDisconnects.mark(c, MqttReasonCodes.Disconnect.NOT_AUTHORIZED));
        housekeeping.execute(() -> server.disconnectClient(clientId));
    }

    /** Closes a connection whose certificate may no longer connect (the presence event says AUTH_ERROR). */
    private void dropRevoked(Channel channel, ClientIdentity identity) {
        presence.willDisconnect(identity.clientId(), "AUTH_ERROR");
        ServerDisconnects.mark(channel, MqttReasonCodes.Disconnect.NOT_AUTHORIZED);
        channel.close();
    }

    /** Live connections admitted by the connection gate. */
    int admittedConnections() {
        return admission.liveConnections();
    }

    private static SslContext serverContext(
            CertificateAuthority ca, Collection<String> hostNames, Registry registry, Clock clock) {
        IssuedCertificate serverCertificate = ca.issueServerCertificate(hostNames);
        SslProvider provider = tlsProvider();
        LOG.info("broker TLS engine: {}", provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK");
        try {
            return SslContextBuilder.forServer(
                            serverCertificate.keyPair().getPrivate(), serverCertificate.certificate(), ca.certificate())
                    .sslProvider(provider)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(new ClientCertificateTrustManager(ca, registry, clock))
                    // AWS IoT's ALPN protocol for MQTT over mutual TLS: chosen when offered, not required here (as on
                    // AWS's port 8883); other offers get no protocol and the handshake goes on.
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            AWS_MQTT_ALPN))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the broker's TLS context", e);
        }
    }

    /**
     * BoringSSL (netty-tcnative) when it loads, the JDK's TLS otherwise: with thousands of devices connecting, the
     * handshake is the broker's main cost and the JDK's costs several times as much. Both engines hand the client
     * chain to {@link ClientCertificateTrustManager}, so the registry still decides who connects.
     * {@code -Dfleetprov.emulator.tls=jdk} forces the JDK's.
     */
    static SslProvider tlsProvider() {
        boolean jdk = "jdk".equalsIgnoreCase(System.getProperty("fleetprov.emulator.tls", "auto"));
        return !jdk && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private static Properties properties(String bindHost, int port) {
        Properties p = new Properties();
        p.setProperty("host", bindHost);
        p.setProperty("port", "disabled");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("ssl_port", Integer.toString(port));
        p.setProperty("need_client_auth", "true");
        // Devices authenticate with their certificate; the device SDK sends a username and no password.
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("immediate_buffer_flush", "true");
        p.setProperty("netty.mqtt.message_size", Integer.toString(maxPacketBytes()));
        return p;
    }

    private static int maxPacketBytes() {
        return PayloadCodec.MAX_PAYLOAD_BYTES + FRAME_ALLOWANCE_BYTES;
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Clients authenticate with their certificate, at the TLS handshake and again in the {@link ConnectionGate}; the
     * user name and password of a CONNECT prove nothing (the device SDK sends its name and version, no password).
     */
    private static final class CertificateAuthenticated implements IAuthenticator {

        @Override
        public boolean checkValid(String clientId, String username, byte[] password) {
            return true;
        }
    }

    /**
     * Moquette takes its authorizer at start, but ours needs Moquette's sessions, which exist only after start:
     * until then (no client can have connected yet) everything is denied.
     */
    private final class DeferredAuthorizer implements IAuthorizatorPolicy {

        @Override
        public boolean canWrite(Topic topic, String user, String client) {
            PolicyAuthorizer current = authorizer;
            return current != null && current.canWrite(topic, user, client);
        }

        @Override
        public boolean canRead(Topic topic, String user, String client) {
            PolicyAuthorizer current = authorizer;
            return current != null && current.canRead(topic, user, client);
        }
    }
}
