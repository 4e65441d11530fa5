package io.fleetprov.emulator.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetprov.emulator.events.EventSink;
import io.fleetprov.moquette.BrokerInternals;
import io.fleetprov.protocol.AwsEventTopics;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS IoT lifecycle events, always on: {@code $aws/events/presence/connected|disconnected/{clientId}} with
 * clientId, timestamp (ms), eventType, sessionIdentifier, principalIdentifier (the certificate id), ipAddress
 * (connect only), versionNumber (the same on a connection's connect and disconnect), and on disconnect
 * clientInitiatedDisconnect and disconnectReason. Client ids with {@code #} or {@code +} get none, as on AWS.
 */
final class PresenceEvents extends AbstractInterceptHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TAKE_OVER_WINDOW_MILLIS = 300;

    private record Connection(
            String token, String sessionIdentifier, String principal, long versionNumber, InetSocketAddress address) {}

    /** An end Moquette reported, published once it is clear it was not a take-over by a duplicate client id. */
    private record Ended(Connection connection, boolean clientInitiated, String reason) {}

    private final BrokerInternals sessions;
    private final EventSink sink;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, String> pendingReasons = new ConcurrentHashMap<>();
    private final Map<String, Ended> undecided = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final ScheduledExecutorService decisions =
            Executors.newSingleThreadScheduledExecutor(MqttBroker.daemon("emulator-presence"));

    PresenceEvents(BrokerInternals sessions, EventSink sink, Clock clock) {
        this.sessions = sessions;
        this.sink = sink;
        this.clock = clock;
    }

    /** The reason the broker is about to give for dropping a client (e.g. FORBIDDEN_ACCESS). */
    void willDisconnect(String clientId, String reason) {
        pendingReasons.put(clientId, reason);
    }

    @Override
    public String getID() {
        return "presence-events";
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        String clientId = msg.getClientID();
        if (!hasEvents(clientId)) {
            return;
        }
        // The principal comes with the connection (its token), not from a later look-up by client id: by the time
        // Moquette reports the connect, the client id may already belong to another connection.
        String principal = ClientIdentities.certificateIdOf(msg.getUsername()).orElse(null);
        InetSocketAddress address = sessions.remoteAddress(clientId).orElse(null);
        Connection connection = new Connection(
                msg.getUsername(), UUID.randomUUID().toString(), principal, versions.incrementAndGet(), address);
        Connection previous = connections.put(clientId, connection);
        if (previous != null) {
            Ended ended = undecided.remove(clientId);
            if (ended != null && ended.connection() == previous) {
                publishDisconnected(clientId, previous, ended.clientInitiated(), ended.reason());
            } else {
                publishDisconnected(clientId, previous, false, "DUPLICATE_CLIENTID");
            }
        }
        ObjectNode event = base(clientId, "connected", connection);
        // Like the principal, the address comes with the connection's token; a look-up by client id is the fallback.
        ClientIdentities.sourceIpOf(msg.getUsername())
                .or(() -> Optional.ofNullable(address).map(a -> a.getAddress().getHostAddress()))
                .ifPresent(ip -> event.put("ipAddress", ip));
        publish(AwsEventTopics.presence("connected", clientId), event);
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        ended(msg.getClientID(), msg.getUsername(), true, "CLIENT_INITIATED_DISCONNECT");
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        ended(msg.getClientID(), msg.getUsername(), false, "CONNECTION_LOST");
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // Reported by ProvisioningRequestHandler.
    }

    /**
     * Moquette reports only the client id of a connection that ended. When a duplicate client id takes over, the
     * old connection's end can be reported before or after the new one's start. An end reported while the
     * recorded connection is still connected belongs to an older one (already reported as DUPLICATE_CLIENTID); one
     * reported while another connection holds the client id or is being accepted for it is a take-over; otherwise
     * the end is published a moment later, unless a new connection of the client id arrives first.
     */
    private void ended(String clientId, String token, boolean clientInitiated, String defaultReason) {
        if (!hasEvents(clientId)) {
            return;
        }
        Connection ending = connections.get(clientId);
        if (ending != null && token != null && !token.equals(ending.token())) {
            return; // the end of an older connection, reported as DUPLICATE_CLIENTID when the newer one connected
        }
        Optional<InetSocketAddress> connectedNow = sessions.remoteAddress(clientId);
        if (ending == null
                || connectedNow.filter(a -> a.equals(ending.address())).isPresent()) {
            return;
        }
        if (connectedNow.isPresent() || sessions.isConnecting(clientId)) {
            // Another connection holds the client id or is being given it: it took over.
            clientInitiated = false;
            defaultReason = "DUPLICATE_CLIENTID";
        }
        Ended already = undecided.get(clientId);
        if (already != null && already.connection() == ending) {
            return; // Moquette may report a DISCONNECT and then the closed connection: the first report counts
        }
        String reason = pendingReasons.remove(clientId);
        Ended ended = new Ended(ending, clientInitiated && reason == null, reason != null ? reason : defaultReason);
        undecided.put(clientId, ended);
        decisions.schedule(
                () -> {
                    if (undecided.remove(clientId, ended) && connections.remove(clientId, ending)) {
                        publishDisconnected(clientId, ending, ended.clientInitiated(), ended.reason());
                    }
                },
                TAKE_OVER_WINDOW_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    void close() {
        decisions.shutdownNow();
    }

    private void publishDisconnected(String clientId, Connection connection, boolean clientInitiated, String reason) {
        ObjectNode event = base(clientId, "disconnected", connection);
        event.put("clientInitiatedDisconnect", clientInitiated);
        event.put("disconnectReason", reason);
        publish(AwsEventTopics.presence("disconnected", clientId), event);
    }

    private ObjectNode base(String clientId, String eventType, Connection connection) {
        ObjectNode event = JSON.createObjectNode();
        event.put("clientId", clientId);
        event.put("timestamp", clock.millis());
        event.put("eventType", eventType);
        event.put("sessionIdentifier", connection.sessionIdentifier());
        event.put("principalIdentifier", connection.principal());
        event.put("versionNumber", connection.versionNumber());
        return event;
    }

    private void publish(String topic, ObjectNode event) {
        sink.publish(topic, event.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasEvents(String clientId) {
        return clientId != null && clientId.indexOf('#') < 0 && clientId.indexOf('+') < 0;
    }
}
