package io.fleetprov.claims;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.QualityOfService;
import software.amazon.awssdk.iot.AwsIotMqttConnectionBuilder;
import software.amazon.awssdk.iot.iotidentity.IotIdentityClient;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateSubscriptionRequest;
import software.amazon.awssdk.iot.iotidentity.model.ErrorResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingRequest;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingSubscriptionRequest;

/**
 * A device driven by the official AWS IoT Device SDK for Java v2 (MQTT 3.1.1, {@link IotIdentityClient}), as the
 * SDK's FleetProvisioning sample does it: subscribe to accepted and rejected, then publish.
 */
final class SdkDevice implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 20;

    private final MqttClientConnection connection;
    private final IotIdentityClient identity;

    private SdkDevice(MqttClientConnection connection) {
        this.connection = connection;
        this.identity = new IotIdentityClient(connection);
    }

    /** {@code endpoint} is host:port as claim-service hands it out. */
    static SdkDevice connect(
            String endpoint, String caPem, String certificatePem, String privateKeyPem, String clientId)
            throws Exception {
        int colon = endpoint.lastIndexOf(':');
        try (AwsIotMqttConnectionBuilder builder =
                AwsIotMqttConnectionBuilder.newMtlsBuilder(certificatePem, privateKeyPem)) {
            builder.withCertificateAuthority(caPem)
                    .withEndpoint(endpoint.substring(0, colon))
                    .withPort(Integer.parseInt(endpoint.substring(colon + 1)))
                    .withClientId(clientId)
                    .withCleanSession(true)
                    .withProtocolOperationTimeoutMs(10_000);
            MqttClientConnection connection = builder.build();
            connection.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new SdkDevice(connection);
        }
    }

    CreateKeysAndCertificateResponse createKeysAndCertificate() throws Exception {
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
        return accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    RegisterThingResponse registerThing(String templateName, String token, Map<String, String> parameters)
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

    @Override
    public void close() throws Exception {
        try {
            connection.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            connection.close();
        }
    }

    /** A {@code /rejected} answer, as the SDK parsed it. */
    static final class Rejected extends Exception {
        final ErrorResponse error;

        Rejected(ErrorResponse error) {
            super(error.statusCode + " " + error.errorCode + ": " + error.errorMessage);
            this.error = error;
        }
    }
}
