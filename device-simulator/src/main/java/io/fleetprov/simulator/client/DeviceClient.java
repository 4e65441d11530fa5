package io.fleetprov.simulator.client;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;

/**
 * One device's MQTT 3.1.1 connection over mutual TLS, on a Vert.x event loop shared with many other devices.
 * Every operation is asynchronous and completes when the broker has acknowledged it (CONNACK, SUBACK, PUBACK) or
 * answered it ({@link #request}). All state is touched only on the connection's own Vert.x context, so no locks.
 */
public final class DeviceClient implements AutoCloseable {

    /** AWS IoT Core's message size limit; also what the emulator enforces. */
    private static final int MAX_MESSAGE_SIZE = 128 * 1024;

    private final Context context;
    private final MqttClient mqtt;
    private final Duration timeout;
    private final String clientId;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Throwable lastError;

    // Acks can be processed before the future that tells us the packet id completes, hence the "early" sets.
    private final Map<Integer, CompletableFuture<MqttSubAckMessage>> pendingSubAcks = new HashMap<>();
    private final Map<Integer, MqttSubAckMessage> earlySubAcks = new HashMap<>();
    private final Map<Integer, CompletableFuture<Void>> pendingPubAcks = new HashMap<>();
    private final Set<Integer> earlyPubAcks = new HashSet<>();
    private final Map<String, CompletableFuture<Reply>> pendingReplies = new HashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private final List<BiConsumer<String, byte[]>> listeners = new ArrayList<>();

    private DeviceClient(Vertx vertx, MqttClientOptions options, Duration timeout) {
        // A fresh context per connection spreads connections round-robin over the event loops.
        this.context = vertx.getOrCreateContext();
        this.mqtt = MqttClient.create(vertx, options);
        this.timeout = timeout;
        this.clientId = options.getClientId();
    }

    /**
     * Connects with {@code credentials} as {@code clientId}. Fails with a {@link DeviceException} whose code says
     * whether TLS, TCP or the CONNACK refused the device, or the broker did not answer within {@code timeout}.
     */
    public static CompletableFuture<DeviceClient> connect(
            Vertx vertx, MqttTarget target, DeviceCredentials credentials, String clientId, Duration timeout) {
        DeviceClient client = new DeviceClient(vertx, options(target, credentials, clientId, timeout), timeout);
        CompletableFuture<DeviceClient> connected = new CompletableFuture<>();
        client.context.runOnContext(ignored -> client.start(target, connected));
        return connected.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            client.close();
            return CompletableFuture.failedFuture(classify(unwrap(e), "connect as " + clientId));
        });
    }

    private static MqttClientOptions options(
            MqttTarget target, DeviceCredentials credentials, String clientId, Duration timeout) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setKeepAliveInterval(30)
                .setMaxMessageSize(MAX_MESSAGE_SIZE)
                .setAckTimeout((int) Math.max(1, timeout.toSeconds()))
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(DeviceKeyManager.of(credentials)));
        options.setAutoAck(true);
        options.setConnectTimeout((int) timeout.toMillis());
        // Vert.x verifies no host name unless told to; a device must, or any certificate from the CA would do.
        options.setHostnameVerificationAlgorithm("HTTPS");
        if (target.trustOptions() != null) {
            options.setTrustOptions(target.trustOptions());
        }
        if (target.openSsl()) {
            if (!OpenSSLEngineOptions.isAvailable()) {
                throw new IllegalStateException("OpenSSL TLS requested but netty-tcnative is not on the class path");
            }
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return options;
    }

    private void start(MqttTarget target, CompletableFuture<DeviceClient> connected) {
        mqtt.subscribeCompletionHandler(this::onSubAck);
        mqtt.publishCompletionHandler(this::onPubAck);
        mqtt.publishCompletionExpirationHandler(
                id -> failPubAck(id, new DeviceException(DeviceException.TIMEOUT, "no PUBACK for packet " + id, null)));
        mqtt.publishHandler(this::onMessage);
        mqtt.closeHandler(ignored -> onClose());
        // Kept so that a lost connection says why (TLS alert, decode error, reset) instead of only "closed".
        mqtt.exceptionHandler(e -> lastError = e);
        // No explicit server name: Vert.x would then look the client key up per name, which a key manager handed
        // over as such does not support. SNI and host-name checks still use the host connected to.
        Future<?> attempt = mqtt.connect(target.port(), target.host());
        attempt.onComplete(result -> {
            if (result.succeeded()) {
                connected.complete(this);
            } else {
                connected.completeExceptionally(result.cause());
            }
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
        Map<String, Integer> request = new LinkedHashMap<>();
        missing.forEach(t -> request.put(t, MqttQoS.AT_LEAST_ONCE.value()));
        CompletableFuture<MqttSubAckMessage> ack = new CompletableFuture<>();
        mqtt.subscribe(request).onComplete(sent -> {
            if (sent.failed()) {
                ack.completeExceptionally(sent.cause());
                return;
            }
            int id = sent.result();
            MqttSubAckMessage early = earlySubAcks.remove(id);
            if (early != null) {
                ack.complete(early);
            } else {
                pendingSubAcks.put(id, ack);
            }
        });
        ack.whenComplete((subAck, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else if (subAck.grantedQoSLevels().stream().anyMatch(q -> q == 0x80)) {
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
        mqtt.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false)
                .onComplete(sent -> {
                    if (sent.failed()) {
                        acked.completeExceptionally(sent.cause());
                        return;
                    }
                    int id = sent.result();
                    if (earlyPubAcks.remove(id)) {
                        acked.complete(null);
                    } else {
                        pendingPubAcks.put(id, acked);
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
                mqtt.publish(requestTopic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false)
                        .onFailure(reply::completeExceptionally);
            });
        });
        return withTimeout(reply, "answer to " + requestTopic);
    }

    /** MQTT DISCONNECT, then waits until the socket is closed. */
    public CompletableFuture<Void> disconnect() {
        context.runOnContext(ignored -> {
            if (mqtt.isConnected()) {
                mqtt.disconnect();
            } else {
                onClose();
            }
        });
        return closed.copy()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> null);
    }

    @Override
    public void close() {
        disconnect();
    }

    private void onMessage(MqttPublishMessage message) {
        String topic = message.topicName();
        byte[] payload = message.payload().getBytes();
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

    private void onSubAck(MqttSubAckMessage ack) {
        CompletableFuture<MqttSubAckMessage> pending = pendingSubAcks.remove(ack.messageId());
        if (pending != null) {
            pending.complete(ack);
        } else {
            earlySubAcks.put(ack.messageId(), ack);
        }
    }

    private void onPubAck(int packetId) {
        CompletableFuture<Void> pending = pendingPubAcks.remove(packetId);
        if (pending != null) {
            pending.complete(null);
        } else {
            earlyPubAcks.add(packetId);
        }
    }

    private void failPubAck(int packetId, Throwable error) {
        CompletableFuture<Void> pending = pendingPubAcks.remove(packetId);
        if (pending != null) {
            pending.completeExceptionally(error);
        }
    }

    private void onClose() {
        DeviceException lost = connectionLost();
        pendingSubAcks.values().forEach(f -> f.completeExceptionally(lost));
        pendingPubAcks.values().forEach(f -> f.completeExceptionally(lost));
        pendingReplies.values().forEach(f -> f.completeExceptionally(lost));
        pendingSubAcks.clear();
        pendingPubAcks.clear();
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

    /** An answer on {@code /accepted} or {@code /rejected}. */
    public record Reply(boolean accepted, String topic, byte[] payload) {}
}
