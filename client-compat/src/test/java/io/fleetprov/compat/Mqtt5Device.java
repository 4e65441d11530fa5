package io.fleetprov.compat;

import io.fleetprov.emulator.IotEmulator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.iot.MqttRequestResponseClientOptions;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.TopicAliasingOptions;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;
import software.amazon.awssdk.crt.mqtt5.packets.UserProperty;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.iot.iotidentity.IotIdentityV2Client;
import software.amazon.awssdk.iot.iotidentity.model.CreateCertificateFromCsrRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateCertificateFromCsrResponse;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingRequest;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;

/**
 * A device as the AWS IoT Device SDK for Java v2's current provisioning samples build it: an {@link Mqtt5Client}
 * from {@link AwsIotMqtt5ClientBuilder} with mutual TLS, and the {@link IotIdentityV2Client} on top of it.
 */
final class Mqtt5Device implements AutoCloseable {

    static final long TIMEOUT_SECONDS = 20;

    private final Mqtt5Client client;
    private final OnConnectionSuccessReturn connected;
    private final CompletableFuture<OnDisconnectionReturn> disconnected;
    private final BlockingQueue<PublishPacket> received;
    private IotIdentityV2Client identity;

    private Mqtt5Device(
            Mqtt5Client client,
            OnConnectionSuccessReturn connected,
            CompletableFuture<OnDisconnectionReturn> disconnected,
            BlockingQueue<PublishPacket> received) {
        this.client = client;
        this.connected = connected;
        this.disconnected = disconnected;
        this.received = received;
    }

    static Mqtt5Device connect(IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromMemory(
                emulator.mqttHost(), certificatePem, privateKeyPem)) {
            builder.withCertificateAuthority(emulator.caCertificatePem()).withPort((long) emulator.mqttPort());
            return connect(builder, clientId);
        }
    }

    /**
     * Connects as {@code clientId} with a builder the caller made (endpoint, port and TLS as it chose), and waits for
     * the CONNACK.
     */
    static Mqtt5Device connect(AwsIotMqtt5ClientBuilder builder, String clientId) throws Exception {
        var connection = new CompletableFuture<OnConnectionSuccessReturn>();
        var disconnected = new CompletableFuture<OnDisconnectionReturn>();
        BlockingQueue<PublishPacket> received = new LinkedBlockingQueue<>();
        builder.withConnectProperties(new ConnectPacket.ConnectPacketBuilder().withClientId(clientId))
                .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.CLEAN)
                .withTopicAliasingOptions(new TopicAliasingOptions()
                        .withOutboundBehavior(TopicAliasingOptions.OutboundTopicAliasBehaviorType.LRU)
                        .withOutboundCacheMaxSize(8))
                .withLifeCycleEvents(new Mqtt5ClientOptions.LifecycleEvents() {
                    @Override
                    public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {}

                    @Override
                    public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
                        connection.complete(r);
                    }

                    @Override
                    public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
                        connection.completeExceptionally(new IllegalStateException("connect failed: "
                                + CRT.awsErrorString(r.getErrorCode())
                                + (r.getConnAckPacket() == null
                                        ? ""
                                        : " CONNACK " + r.getConnAckPacket().getReasonCode())));
                    }

                    @Override
                    public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {
                        disconnected.complete(r);
                    }

                    @Override
                    public void onStopped(Mqtt5Client c, OnStoppedReturn r) {}
                })
                .withPublishEvents((c, publish) -> received.add(publish.getPublishPacket()));
        Mqtt5Client client = builder.build();
        client.start();
        try {
            return new Mqtt5Device(client, connection.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), disconnected, received);
        } catch (Exception e) {
            client.stop();
            client.close();
            throw e;
        }
    }

    OnConnectionSuccessReturn connection() {
        return connected;
    }

    CompletableFuture<OnDisconnectionReturn> disconnection() {
        return disconnected;
    }

    CreateKeysAndCertificateResponse createKeysAndCertificate() throws Exception {
        return identity()
                .createKeysAndCertificate(new CreateKeysAndCertificateRequest())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    CreateCertificateFromCsrResponse createCertificateFromCsr(String csrPem) throws Exception {
        var request = new CreateCertificateFromCsrRequest();
        request.certificateSigningRequest = csrPem;
        return identity().createCertificateFromCsr(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    RegisterThingResponse registerThing(String templateName, String token, Map<String, String> parameters)
            throws Exception {
        var request = new RegisterThingRequest();
        request.templateName = templateName;
        request.certificateOwnershipToken = token;
        request.parameters = new HashMap<>(parameters);
        return identity().registerThing(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    SubAckPacket subscribe(String filter) throws Exception {
        return client.subscribe(new SubscribePacket.SubscribePacketBuilder(filter, QOS.AT_LEAST_ONCE).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Publishes at QoS 1 without waiting for the PUBACK (a refused publish never gets one). */
    CompletableFuture<?> publish(String topic, String payload, List<UserProperty> userProperties) {
        return client.publish(new PublishPacket.PublishPacketBuilder(
                        topic, QOS.AT_LEAST_ONCE, payload.getBytes(StandardCharsets.UTF_8))
                .withUserProperties(userProperties)
                .build());
    }

    PublishPacket nextMessage() throws InterruptedException {
        return received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private IotIdentityV2Client identity() {
        if (identity == null) {
            identity = IotIdentityV2Client.newFromMqtt5(
                    client,
                    MqttRequestResponseClientOptions.builder()
                            .withMaxRequestResponseSubscriptions(5)
                            .withMaxStreamingSubscriptions(2)
                            .withOperationTimeoutSeconds((int) TIMEOUT_SECONDS)
                            .build());
        }
        return identity;
    }

    @Override
    public void close() {
        if (identity != null) {
            identity.close();
        }
        client.stop();
        client.close();
    }
}
