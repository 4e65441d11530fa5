package io.fleetprov.simulator.client;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** MQTT 3.1.1 on Vert.x MQTT: handlers run on the connection's context already. */
final class VertxMqtt3Transport implements MqttTransport {

    private final MqttClient mqtt;
    private final MqttTarget target;
    private final Events events;

    // Acks can be processed before the future that tells us the packet id completes, hence the "early" sets.
    private final Map<Integer, CompletableFuture<List<Integer>>> pendingSubAcks = new HashMap<>();
    private final Map<Integer, List<Integer>> earlySubAcks = new HashMap<>();
    private final Map<Integer, CompletableFuture<Void>> pendingPubAcks = new HashMap<>();
    private final Set<Integer> earlyPubAcks = new HashSet<>();

    VertxMqtt3Transport(
            Vertx vertx,
            MqttTarget target,
            DeviceCredentials credentials,
            String clientId,
            Duration timeout,
            Events events) {
        this.mqtt = MqttClient.create(vertx, options(target, credentials, clientId, timeout));
        this.target = target;
        this.events = events;
    }

    private static MqttClientOptions options(
            MqttTarget target, DeviceCredentials credentials, String clientId, Duration timeout) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setKeepAliveInterval(DeviceClient.KEEP_ALIVE_SECONDS)
                .setMaxMessageSize(DeviceClient.MAX_MESSAGE_SIZE)
                .setAckTimeout((int) Math.max(1, timeout.toSeconds()))
                .setSsl(true);
        options.setAutoAck(true);
        options.setConnectTimeout((int) timeout.toMillis());
        // Vert.x verifies no host name unless told to; a device must, or any certificate from the CA would do.
        options.setHostnameVerificationAlgorithm("HTTPS");
        DeviceKeyManager key = DeviceKeyManager.of(credentials);
        if (target.openSsl()) {
            if (target.sharedTls() == null) {
                throw new IllegalStateException("OpenSSL TLS requested but netty-tcnative is not on the class path");
            }
            // The target's one OpenSSL context with this device's key, not a context per device (SharedDeviceTls).
            options.setSslEngineOptions(target.sharedTls().engineOptions(key));
        } else {
            options.setKeyCertOptions(KeyCertOptions.wrap(key)).setTrustOptions(target.trustOptions());
        }
        return options;
    }

    @Override
    public CompletableFuture<Void> connect() {
        mqtt.subscribeCompletionHandler(this::onSubAck);
        mqtt.publishCompletionHandler(this::onPubAck);
        mqtt.publishCompletionExpirationHandler(
                id -> failPubAck(id, new DeviceException(DeviceException.TIMEOUT, "no PUBACK for packet " + id, null)));
        mqtt.publishHandler(
                message -> events.message(message.topicName(), message.payload().getBytes()));
        mqtt.closeHandler(ignored -> onClose());
        // Kept so that a lost connection says why (TLS alert, decode error, reset) instead of only "closed".
        mqtt.exceptionHandler(events::error);
        // No explicit server name: Vert.x would then look the client key up per name, which a key manager handed
        // over as such does not support. SNI and host-name checks still use the host connected to.
        CompletableFuture<Void> connected = new CompletableFuture<>();
        mqtt.connect(target.port(), target.host()).onComplete(result -> {
            if (result.succeeded()) {
                connected.complete(null);
            } else {
                connected.completeExceptionally(result.cause());
            }
        });
        return connected;
    }

    @Override
    public CompletableFuture<List<Integer>> subscribe(List<String> topicFilters) {
        Map<String, Integer> request = new LinkedHashMap<>();
        topicFilters.forEach(t -> request.put(t, MqttQoS.AT_LEAST_ONCE.value()));
        CompletableFuture<List<Integer>> ack = new CompletableFuture<>();
        mqtt.subscribe(request).onComplete(sent -> {
            if (sent.failed()) {
                ack.completeExceptionally(sent.cause());
                return;
            }
            int id = sent.result();
            List<Integer> early = earlySubAcks.remove(id);
            if (early != null) {
                ack.complete(early);
            } else {
                pendingSubAcks.put(id, ack);
            }
        });
        return ack;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
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
        return acked;
    }

    @Override
    public void disconnect() {
        if (mqtt.isConnected()) {
            mqtt.disconnect();
        } else {
            onClose();
        }
    }

    @Override
    public boolean isConnected() {
        return mqtt.isConnected();
    }

    private void onSubAck(MqttSubAckMessage ack) {
        CompletableFuture<List<Integer>> pending = pendingSubAcks.remove(ack.messageId());
        if (pending != null) {
            pending.complete(ack.grantedQoSLevels());
        } else {
            earlySubAcks.put(ack.messageId(), ack.grantedQoSLevels());
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
        DeviceException lost = events.connectionLost();
        pendingSubAcks.values().forEach(f -> f.completeExceptionally(lost));
        pendingPubAcks.values().forEach(f -> f.completeExceptionally(lost));
        pendingSubAcks.clear();
        pendingPubAcks.clear();
        events.closed();
    }
}
