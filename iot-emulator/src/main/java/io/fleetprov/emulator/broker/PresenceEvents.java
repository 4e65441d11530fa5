package io.fleetprov.emulator.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetprov.emulator.events.EventSink;
import io.fleetprov.protocol.AwsEventTopics;
import io.moquette.broker.MoquetteSessions;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS IoT lifecycle events, always on: {@code $aws/events/presence/connected|disconnected/{clientId}} with
 * clientId, timestamp (ms), eventType, sessionIdentifier, principalIdentifier (the certificate id), ipAddress
 * (connect only), versionNumber (the same on a connection's connect and disconnect), and on disconnect
 * clientInitiatedDisconnect and disconnectReason. Client ids with {@code #} or {@code +} get none, as on AWS.
 */
final class PresenceEvents extends AbstractInterceptHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Connection(String sessionIdentifier, String principal, long versionNumber) {
    }

    private final MoquetteSessions sessions;
    private final ClientIdentities identities;
    private final EventSink sink;
    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, String> pendingReasons = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    PresenceEvents(MoquetteSessions sessions, ClientIdentities identities, EventSink sink, Clock clock) {
        this.sessions = sessions;
        this.identities = identities;
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
        String principal = identities.resolve(clientId).map(ClientIdentity::certificateId).orElse(null);
        Connection connection = new Connection(UUID.randomUUID().toString(), principal, versions.incrementAndGet());
        Connection previous = connections.put(clientId, connection);
        if (previous != null) {
            publishDisconnected(clientId, previous, false, "DUPLICATE_CLIENTID");
        }
        ObjectNode event = base(clientId, "connected", connection);
        sessions.remoteAddress(clientId).ifPresent(a -> event.put("ipAddress", a.getAddress().getHostAddress()));
        publish(AwsEventTopics.presence("connected", clientId), event);
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        ended(msg.getClientID(), true, "CLIENT_INITIATED_DISCONNECT");
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        ended(msg.getClientID(), false, "CONNECTION_LOST");
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // Reported by ProvisioningRequestHandler.
    }

    private void ended(String clientId, boolean clientInitiated, String defaultReason) {
        if (!hasEvents(clientId)) {
            return;
        }
        // With a duplicate client id, the old connection's end may be reported after the new one started; its
        // disconnected event was already published when the new one connected.
        if (sessions.remoteAddress(clientId).isPresent()) {
            return;
        }
        Connection connection = connections.remove(clientId);
        if (connection != null) {
            String reason = pendingReasons.remove(clientId);
            publishDisconnected(clientId, connection, clientInitiated && reason == null,
                    reason != null ? reason : defaultReason);
        }
    }

    private void publishDisconnected(String clientId, Connection connection, boolean clientInitiated,
            String reason) {
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
