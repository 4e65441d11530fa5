package io.fleetprov.simulator.client;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.core.Context;
import java.io.IOException;
import java.net.ConnectException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * MQTT 5 on Eclipse Paho's asynchronous client. Paho calls back on its own threads; everything is handed over to
 * the connection's Vert.x context so that {@link DeviceClient} sees one thread, as with MQTT 3.1.1. TLS is the
 * JDK's (Paho takes an {@code SSLSocketFactory}), with the same parsed device key and shared CA as the Vert.x
 * transport. MQTT 5 reason codes are mapped onto the error codes MQTT 3.1.1 runs report, so the two compare.
 */
final class PahoMqtt5Transport implements MqttTransport {

    /** MQTT 5 reason codes from 0x80 on are failures (SUBACK, PUBACK, CONNACK, DISCONNECT). */
    private static final int FIRST_FAILURE = 0x80;

    private static final int NORMAL_DISCONNECTION = 0x00;

    private final Context context;
    private final MqttTarget target;
    private final DeviceCredentials credentials;
    private final Duration timeout;
    private final Events events;
    private final MqttAsyncClient mqtt;

    PahoMqtt5Transport(
            Context context,
            MqttTarget target,
            DeviceCredentials credentials,
            String clientId,
            Duration timeout,
            Events events) {
        this.context = context;
        this.target = target;
        this.credentials = credentials;
        this.timeout = timeout;
        this.events = events;
        try {
            // Memory persistence: Paho's default writes in-flight messages to files in the working directory.
            this.mqtt = new MqttAsyncClient(
                    "ssl://" + target.host() + ":" + target.port(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("invalid MQTT 5 client " + clientId + " for " + target, e);
        }
        mqtt.setCallback(new Callback());
    }

    @Override
    public CompletableFuture<Void> connect() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(DeviceClient.KEEP_ALIVE_SECONDS);
        options.setMaximumPacketSize((long) DeviceClient.MAX_MESSAGE_SIZE);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        options.setAutomaticReconnect(false);
        // A device must check the broker's host name, or any certificate from the CA would do.
        options.setHttpsHostnameVerificationEnabled(true);
        options.setSocketFactory(sslContext().getSocketFactory());
        CompletableFuture<Void> connected = new CompletableFuture<>();
        call(
                connected,
                listener -> mqtt.connect(options, null, listener),
                token -> null,
                PahoMqtt5Transport::connackRefusal);
        return connected;
    }

    private SSLContext sslContext() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {DeviceKeyManager.of(credentials)}, target.trustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for a device", e);
        }
    }

    @Override
    public CompletableFuture<List<Integer>> subscribe(List<String> topicFilters) {
        MqttSubscription[] subscriptions =
                topicFilters.stream().map(t -> new MqttSubscription(t, 1)).toArray(MqttSubscription[]::new);
        CompletableFuture<List<Integer>> ack = new CompletableFuture<>();
        call(
                ack,
                listener -> mqtt.subscribe(subscriptions, null, listener, new MqttProperties()),
                PahoMqtt5Transport::reasonCodes,
                code -> refused(DeviceException.SUBSCRIBE_REFUSED, "SUBACK", code));
        return ack;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        MqttMessage message = new MqttMessage(payload, 1, false, new MqttProperties());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        call(
                acked,
                listener -> mqtt.publish(topic, message, null, listener),
                token -> {
                    // MQTT 5 lets the broker refuse a publish in its PUBACK instead of closing the connection.
                    List<Integer> codes = reasonCodes(token);
                    if (codes.stream().anyMatch(c -> c >= FIRST_FAILURE)) {
                        throw new DeviceException(
                                DeviceException.PUBLISH_REFUSED,
                                "PUBACK on " + topic + " refused: " + hex(codes),
                                null);
                    }
                    return null;
                },
                code -> refused(DeviceException.PUBLISH_REFUSED, "PUBACK on " + topic, code));
        return acked;
    }

    @Override
    public void disconnect() {
        if (!mqtt.isConnected()) {
            closeClient();
            return;
        }
        try {
            // No quiesce: every request the flow still cares about has been answered or has timed out.
            mqtt.disconnect(
                    0,
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            closeClient();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            closeClient();
                        }
                    },
                    NORMAL_DISCONNECTION,
                    new MqttProperties());
        } catch (MqttException e) {
            closeClient();
        }
    }

    @Override
    public boolean isConnected() {
        return mqtt.isConnected();
    }

    /** Frees Paho's threads once the connection is gone, off Paho's own threads and the event loop. */
    private void closeClient() {
        CompletableFuture.runAsync(() -> {
            try {
                mqtt.close(true);
            } catch (MqttException e) {
                // Already closed: nothing left to free.
            }
        });
        context.runOnContext(ignored -> events.closed());
    }

    /** Starts a Paho action; completes {@code future} on the context with {@code onSuccess}'s value or a failure. */
    private <T> void call(
            CompletableFuture<T> future,
            PahoAction action,
            TokenResult<T> onSuccess,
            IntFunction<DeviceException> refusal) {
        MqttActionListener listener = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                context.runOnContext(ignored -> {
                    try {
                        future.complete(onSuccess.apply(token));
                    } catch (RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                });
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                DeviceException classified = classify(failure, refusal);
                context.runOnContext(ignored -> future.completeExceptionally(classified));
            }
        };
        try {
            action.start(listener);
        } catch (MqttException | RuntimeException e) {
            DeviceException classified = classify(e, refusal);
            context.runOnContext(ignored -> future.completeExceptionally(classified));
        }
    }

    private static List<Integer> reasonCodes(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        return codes == null ? List.of() : Arrays.stream(codes).boxed().toList();
    }

    private static String hex(List<Integer> codes) {
        return codes.stream().map(c -> String.format("0x%02X", c)).toList().toString();
    }

    /**
     * Paho's failures as the codes MQTT 3.1.1 runs report: a CONNACK refusal by the 3.1.1 return code that means
     * the same (so a refused claim counts alike whatever the version), Paho's own codes by what they say happened.
     */
    static DeviceException classify(Throwable failure, IntFunction<DeviceException> refusal) {
        if (failure instanceof DeviceException device) {
            return device;
        }
        if (!(failure instanceof MqttException e)) {
            return DeviceClient.classify(failure, "MQTT 5");
        }
        int code = e.getReasonCode();
        Throwable cause = e.getCause();
        if (code >= FIRST_FAILURE && code <= 0xFF) {
            DeviceException refused = refusal.apply(code);
            return new DeviceException(refused.errorCode(), refused.getMessage(), e);
        }
        if (cause instanceof SSLException) {
            return new DeviceException(DeviceException.TLS_HANDSHAKE, "TLS: " + cause.getMessage(), e);
        }
        if (cause instanceof ConnectException) {
            return new DeviceException(DeviceException.CONNECTION_REFUSED, "connect: " + cause.getMessage(), e);
        }
        // Paho passes socket errors on untranslated (code 0): a reset or broken pipe is a lost connection.
        if (cause instanceof IOException) {
            return new DeviceException(DeviceException.CONNECTION_LOST, "connection lost: " + describe(e), e);
        }
        return switch (code) {
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT, MqttClientException.REASON_CODE_WRITE_TIMEOUT ->
                new DeviceException(DeviceException.TIMEOUT, "no answer in time: " + e.getMessage(), e);
            // A server DISCONNECT (AWS IoT's answer to a forbidden publish) is a lost connection, as MQTT 3.1.1's
            // close.
            case MqttClientException.REASON_CODE_CONNECTION_LOST,
                    MqttClientException.REASON_CODE_SERVER_DISCONNECTED,
                    MqttClientException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED,
                    MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
                    MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
                    MqttClientException.REASON_CODE_CLIENT_CLOSED,
                    MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR ->
                new DeviceException(DeviceException.CONNECTION_LOST, "connection lost: " + describe(e), e);
            default -> new DeviceException(DeviceException.CLIENT_ERROR, "MQTT 5 client: " + describe(e), e);
        };
    }

    private static String describe(MqttException e) {
        return e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
    }

    private static DeviceException connackRefusal(int code) {
        String name = connackName(code);
        return new DeviceException("Connack" + name, String.format("connect refused: 0x%02X %s", code, name), null);
    }

    private static DeviceException refused(String errorCode, String what, int code) {
        return new DeviceException(errorCode, String.format("%s refused: 0x%02X", what, code), null);
    }

    /** The MQTT 3.1.1 return code meaning the same as an MQTT 5 CONNACK reason code, else Netty's MQTT 5 name. */
    static String connackName(int reasonCode) {
        MqttConnectReturnCode same = switch (reasonCode) {
            case 0x84 -> MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
            case 0x85 -> MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            case 0x86, 0x8C -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case 0x87, 0x8A -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case 0x88, 0x89 -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            default -> null;
        };
        if (same != null) {
            return same.name();
        }
        try {
            return MqttConnectReturnCode.valueOf((byte) reasonCode).name();
        } catch (IllegalArgumentException unknown) {
            return String.format("0x%02X", reasonCode);
        }
    }

    @FunctionalInterface
    private interface PahoAction {
        IMqttToken start(MqttActionListener listener) throws MqttException;
    }

    @FunctionalInterface
    private interface TokenResult<T> {
        T apply(IMqttToken token);
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // The broker's DISCONNECT (with its reason code) or a lost socket: either way a lost connection.
            Throwable why = response.getException() != null
                    ? response.getException()
                    : new IllegalStateException(String.format(
                            "DISCONNECT 0x%02X %s",
                            response.getReturnCode(),
                            response.getReasonString() == null ? "" : response.getReasonString()));
            context.runOnContext(ignored -> events.error(why));
            closeClient();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            context.runOnContext(ignored -> events.error(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            context.runOnContext(ignored -> events.message(topic, payload));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Completion is tracked per publish by its action listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Completion is tracked by the connect action listener.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication: devices authenticate with their TLS certificate.
        }
    }
}
