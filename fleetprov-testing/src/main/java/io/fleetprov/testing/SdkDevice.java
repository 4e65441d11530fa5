package io.fleetprov.testing;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttMessage;
import software.amazon.awssdk.crt.mqtt.QualityOfService;
import software.amazon.awssdk.iot.AwsIotMqttConnectionBuilder;
import software.amazon.awssdk.iot.iotidentity.IotIdentityClient;
import software.amazon.awssdk.iot.iotidentity.model.CreateCertificateFromCsrRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateCertificateFromCsrResponse;
import software.amazon.awssdk.iot.iotidentity.model.CreateCertificateFromCsrSubscriptionRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateSubscriptionRequest;
import software.amazon.awssdk.iot.iotidentity.model.ErrorResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingRequest;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingSubscriptionRequest;

/**
 * A device driven by the official AWS IoT Device SDK for Java v2 (MQTT 3.1.1, V1 {@link IotIdentityClient}),
 * exactly as the SDK's FleetProvisioning sample does it: subscribe to accepted and rejected, then publish.
 */
public final class SdkDevice implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 20;

    private final MqttClientConnection connection;
    private final IotIdentityClient identity;

    private SdkDevice(MqttClientConnection connection) {
        this.connection = connection;
        this.identity = new IotIdentityClient(connection);
    }

    public static SdkDevice connect(IotEmulator emulator, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        return connect(
                emulator.caCertificatePem(),
                emulator.mqttHost(),
                emulator.mqttPort(),
                certificatePem,
                privateKeyPem,
                clientId);
    }

    /** {@code endpoint} is host:port as claim-service hands it out. */
    public static SdkDevice connect(
            String endpoint, String caPem, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        int colon = endpoint.lastIndexOf(':');
        return connect(
                caPem,
                endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)),
                certificatePem,
                privateKeyPem,
                clientId);
    }

    private static SdkDevice connect(
            String caPem, String host, int port, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        try (AwsIotMqttConnectionBuilder builder =
                AwsIotMqttConnectionBuilder.newMtlsBuilder(certificatePem, privateKeyPem)) {
            builder.withCertificateAuthority(caPem)
                    .withEndpoint(host)
                    .withPort(port)
                    .withClientId(clientId)
                    .withCleanSession(true)
                    .withProtocolOperationTimeoutMs(10_000);
            MqttClientConnection connection = builder.build();
            connection.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new SdkDevice(connection);
        }
    }

    /**
     * One device through the whole flow with a fresh claim of {@code template}: CreateKeysAndCertificate, then
     * RegisterThing with its {@code SerialNumber}. Returns the thing's name; a rejection is a {@link Rejected} cause.
     */
    public static String provision(IotEmulator emulator, String template, String serial) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(template);
        try (SdkDevice device =
                SdkDevice.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + serial)) {
            var keys = device.createKeysAndCertificate();
            return device.registerThing(template, keys.certificateOwnershipToken, Map.of("SerialNumber", serial))
                    .thingName;
        }
    }

    public CreateKeysAndCertificateResponse createKeysAndCertificate() throws Exception {
        return requestKeysAndCertificate().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Subscribes to the answers and publishes CreateKeysAndCertificate; the future completes with the answer, if one
     * ever comes (a claim policy without iot:Receive means none does).
     */
    public CompletableFuture<CreateKeysAndCertificateResponse> requestKeysAndCertificate() throws Exception {
        var accepted = new CompletableFuture<CreateKeysAndCertificateResponse>();
        var request = new CreateKeysAndCertificateSubscriptionRequest();
        identity.SubscribeToCreateKeysAndCertificateAccepted(
                        request, QualityOfService.AT_LEAST_ONCE, accepted::complete)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        identity.SubscribeToCreateKeysAndCertificateRejected(
                        request,
                        QualityOfService.AT_LEAST_ONCE,
                        error -> accepted.completeExceptionally(new Rejected(error)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        identity.PublishCreateKeysAndCertificate(new CreateKeysAndCertificateRequest(), QualityOfService.AT_LEAST_ONCE)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return accepted;
    }

    public CreateCertificateFromCsrResponse createCertificateFromCsr(String csrPem) throws Exception {
        var accepted = new CompletableFuture<CreateCertificateFromCsrResponse>();
        var request = new CreateCertificateFromCsrSubscriptionRequest();
        identity.SubscribeToCreateCertificateFromCsrAccepted(
                        request, QualityOfService.AT_LEAST_ONCE, accepted::complete)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        identity.SubscribeToCreateCertificateFromCsrRejected(
                        request,
                        QualityOfService.AT_LEAST_ONCE,
                        error -> accepted.completeExceptionally(new Rejected(error)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var csrRequest = new CreateCertificateFromCsrRequest();
        csrRequest.certificateSigningRequest = csrPem;
        identity.PublishCreateCertificateFromCsr(csrRequest, QualityOfService.AT_LEAST_ONCE)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    public RegisterThingResponse registerThing(String templateName, String token, Map<String, String> parameters)
            throws Exception {
        var accepted = new CompletableFuture<RegisterThingResponse>();
        var subscription = new RegisterThingSubscriptionRequest();
        subscription.templateName = templateName;
        identity.SubscribeToRegisterThingAccepted(subscription, QualityOfService.AT_LEAST_ONCE, accepted::complete)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        identity.SubscribeToRegisterThingRejected(
                        subscription,
                        QualityOfService.AT_LEAST_ONCE,
                        error -> accepted.completeExceptionally(new Rejected(error)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var request = new RegisterThingRequest();
        request.templateName = templateName;
        request.certificateOwnershipToken = token;
        request.parameters = new HashMap<>(parameters);
        identity.PublishRegisterThing(request, QualityOfService.AT_LEAST_ONCE).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Subscribes to the topic, publishes to it, and returns what came back through the broker. */
    public String publishAndReceive(String topic, String payload) throws Exception {
        var received = new CompletableFuture<String>();
        connection
                .subscribe(
                        topic,
                        QualityOfService.AT_LEAST_ONCE,
                        m -> received.complete(new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        connection
                .publish(new MqttMessage(
                        topic,
                        payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        QualityOfService.AT_LEAST_ONCE))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        try {
            connection.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // close() must not throw InterruptedException (try-with-resources would swallow the interrupt)
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
        }
    }

    /** A {@code /rejected} answer, as the SDK parsed it. */
    public static final class Rejected extends Exception {
        public final ErrorResponse error;

        Rejected(ErrorResponse error) {
            super(error.statusCode + " " + error.errorCode + ": " + error.errorMessage);
            this.error = error;
        }
    }
}
