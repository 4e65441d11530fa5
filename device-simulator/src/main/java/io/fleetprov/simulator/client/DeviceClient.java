package io.fleetprov.simulator.client;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttConnectionException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;

/**
 * One device's MQTT connection over mutual TLS: MQTT 3.1.1 on a Vert.x event loop shared with many other devices,
 * or MQTT 5 on Paho (see {@link MqttVersion}); the library-specific part is a {@link MqttTransport}. Every operation
 * is asynchronous and completes when the broker has acknowledged it (CONNACK, SUBACK, PUBACK) or answered it
 * ({@link #request}). All state is touched only on the connection's own Vert.x context, so no locks.
 */
public final class DeviceClient implements AutoCloseable {

    /** AWS IoT Core's message size limit; also what the emulator enforces. */
    static final int MAX_MESSAGE_SIZE = 128 * 1024;

    static final int KEEP_ALIVE_SECONDS = 30;

    private final Context context;
    private final MqttTransport mqtt;
    private final Duration timeout;
    private final String clientId;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Throwable lastError;

    private final Map<String, CompletableFuture<Reply>> pendingReplies = new HashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private final List<BiConsumer<String, byte[]>> listeners = new ArrayList<>();

    private DeviceClient(
            Vertx vertx,
            Context context,
            MqttVersion version,
            MqttTarget target,
            DeviceCredentials credentials,
            String clientId,
            Duration timeout) {
        this.context = context;
        this.timeout = timeout;
        this.clientId = clientId;
        MqttTransport.Events events = new Events();
        this.mqtt = switch (version) {
            case MQTT_3_1_1 -> new NettyMqtt3Transport(vertx, context, target, credentials, clientId, timeout, events);
            case MQTT_5 -> new PahoMqtt5Transport(context, target, credentials, clientId, timeout, events);
        };
    }

    /**
     * Connects with {@code credentials} as {@code clientId}, on an event-loop {@code context} that other connections
     * may share ({@link EventLoopContexts}). Fails with a {@link DeviceException} whose code says whether TLS, TCP or
     * the CONNACK refused the device, or the broker did not answer within {@code timeout}.
     */
    public static CompletableFuture<DeviceClient> connect(
            Vertx vertx,
            Context context,
            MqttVersion version,
            MqttTarget target,
            DeviceCredentials credentials,
            String clientId,
            Duration timeout) {
        DeviceClient client = new DeviceClient(vertx, context, version, target, credentials, clientId, timeout);
        CompletableFuture<DeviceClient> connected = new CompletableFuture<>();
        client.context.runOnContext(ignored -> {
            try {
                client.mqtt.connect().whenComplete((ok, error) -> {
                    if (error != null) {
                        connected.completeExceptionally(error);
                    } else {
                        connected.complete(client);
                    }
                });
            } catch (RuntimeException e) {
                connected.completeExceptionally(e);
            }
        });
        return connected.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            client.close();
            return CompletableFuture.failedFuture(classify(unwrap(e), "connect as " + clientId));
        });
    }

    public String clientId() {
        return clientId;
    }

    /** Completes when the connection is gone, whoever closed it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public boolean isConnected() {
        return mqtt.isConnected();
    }

    /** Receives every message delivered to this connection (after {@link #request} routing). */
    public void onMessage(BiConsumer<String, byte[]> listener) {
        context.runOnContext(ignored -> listeners.add(listener));
    }

    /** SUBSCRIBE at QoS 1; completes on a SUBACK that granted every filter. */
    public CompletableFuture<Void> subscribe(List<String> topicFilters) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> subscribeOnContext(topicFilters, done));
        return withTimeout(done, "SUBACK for " + topicFilters);
    }

    private void subscribeOnContext(List<String> topicFilters, CompletableFuture<Void> done) {
        List<String> missing =
                topicFilters.stream().filter(t -> !subscribed.contains(t)).toList();
        if (missing.isEmpty()) {
            done.complete(null);
            return;
        }
        CompletableFuture<List<Integer>> ack = mqtt.subscribe(missing);
        ack.whenComplete((subAck, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else if (subAck.stream().anyMatch(code -> code >= 0x80)) {
                // 0x80 in MQTT 3.1.1; MQTT 5 says why with a code from 0x80 up.
                done.completeExceptionally(
                        new DeviceException(DeviceException.SUBSCRIBE_REFUSED, "SUBACK refused " + missing, null));
            } else {
                subscribed.addAll(missing);
                done.complete(null);
            }
        });
    }

    /** PUBLISH at QoS 1; completes on PUBACK. */
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        context.runOnContext(ignored -> publishOnContext(topic, payload, acked));
        return withTimeout(acked, "PUBACK on " + topic);
    }

    private void publishOnContext(String topic, byte[] payload, CompletableFuture<Void> acked) {
        mqtt.publish(topic, payload).whenComplete((ok, error) -> {
            if (error != null) {
                acked.completeExceptionally(error);
            } else {
                acked.complete(null);
            }
        });
    }

    /**
     * The AWS request/response pattern: subscribe to {@code requestTopic/accepted} and {@code /rejected} (QoS 1,
     * waiting for the SUBACK so the answer cannot be missed), then publish the request and wait for either.
     */
    public CompletableFuture<Reply> request(String requestTopic, byte[] payload) {
        String accepted = requestTopic + "/accepted";
        String rejected = requestTopic + "/rejected";
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        subscribe(List.of(accepted, rejected)).whenComplete((ok, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
                return;
            }
            context.runOnContext(ignored -> {
                if (closed.isDone()) {
                    reply.completeExceptionally(connectionLost());
                    return;
                }
                CompletableFuture<Reply> previous = pendingReplies.put(requestTopic, reply);
                if (previous != null) {
                    previous.completeExceptionally(new IllegalStateException("superseded by a new request"));
                }
                // Identity requests carry no correlation token: answers match by topic, one in flight per topic.
                mqtt.publish(requestTopic, payload).whenComplete((acked, failed) -> {
                    if (failed != null) {
                        reply.completeExceptionally(failed);
                    }
                });
            });
        });
        return withTimeout(reply, "answer to " + requestTopic);
    }

    /** MQTT DISCONNECT, then waits until the socket is closed. */
    public CompletableFuture<Void> disconnect() {
        context.runOnContext(ignored -> mqtt.disconnect());
        return closed.copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> null);
    }

    @Override
    public void close() {
        disconnect();
    }

    private void onMessage(String topic, byte[] payload) {
        if (topic.endsWith("/accepted") || topic.endsWith("/rejected")) {
            boolean isAccepted = topic.endsWith("/accepted");
            // "/accepted" and "/rejected" are both nine characters long.
            String requestTopic = topic.substring(0, topic.length() - 9);
            CompletableFuture<Reply> pending = pendingReplies.remove(requestTopic);
            if (pending != null) {
                pending.complete(new Reply(isAccepted, topic, payload));
                return;
            }
        }
        listeners.forEach(l -> l.accept(topic, payload));
    }

    private void onClose() {
        DeviceException lost = connectionLost();
        pendingReplies.values().forEach(f -> f.completeExceptionally(lost));
        pendingReplies.clear();
        closed.complete(null);
    }

    private DeviceException connectionLost() {
        Throwable cause = lastError;
        return new DeviceException(
                DeviceException.CONNECTION_LOST,
                "connection of " + clientId + " closed"
                        + (cause == null ? " by the peer or the network" : " after " + cause),
                cause);
    }

    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, String what) {
        return future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(classify(unwrap(e), what)));
    }

    /** Strips the CompletionException/ExecutionException wrappers futures add. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof java.util.concurrent.CompletionException
                        || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Maps what Vert.x, Netty and the JDK throw to a {@link DeviceException} with a stable error code. */
    public static DeviceException classify(Throwable e, String what) {
        if (e instanceof DeviceException device) {
            return device;
        }
        if (e instanceof TimeoutException) {
            return new DeviceException(DeviceException.TIMEOUT, "no " + what + " in time", e);
        }
        if (e instanceof MqttConnectionException refused) {
            MqttConnectReturnCode code = refused.code();
            return new DeviceException("Connack" + code.name(), what + " refused: " + code, e);
        }
        if (e instanceof SSLException || (e.getCause() instanceof SSLException)) {
            return new DeviceException(DeviceException.TLS_HANDSHAKE, what + ": " + e.getMessage(), e);
        }
        if (e instanceof ConnectException) {
            return new DeviceException(DeviceException.CONNECTION_REFUSED, what + ": " + e.getMessage(), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Vert.x reports a socket closed during the handshake or before CONNACK as a plain "Closed" failure.
        if (message.contains("closed") || message.contains("Closed")) {
            return new DeviceException(DeviceException.CONNECTION_LOST, what + ": " + message, e);
        }
        return new DeviceException(DeviceException.CLIENT_ERROR, what + ": " + message, e);
    }

    /** What the transport reports, on this connection's context. */
    private final class Events implements MqttTransport.Events {
        @Override
        public void message(String topic, byte[] payload) {
            onMessage(topic, payload);
        }

        @Override
        public void error(Throwable cause) {
            lastError = cause;
        }

        @Override
        public void closed() {
            onClose();
        }

        @Override
        public DeviceException connectionLost() {
            return DeviceClient.this.connectionLost();
        }
    }

    /** An answer on {@code /accepted} or {@code /rejected}. */
    public record Reply(boolean accepted, String topic, byte[] payload) {}
}
