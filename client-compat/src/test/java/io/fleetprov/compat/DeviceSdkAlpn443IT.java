package io.fleetprov.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.broker.MqttBroker;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.CertificateStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.Log;
import software.amazon.awssdk.crt.io.TlsContext;
import software.amazon.awssdk.crt.io.TlsContextOptions;
import software.amazon.awssdk.crt.iot.MqttRequestResponseClientOptions;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.iot.AwsIotMqttConnectionBuilder;
import software.amazon.awssdk.iot.iotidentity.IotIdentityV2Client;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingRequest;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;

/**
 * The AWS IoT Device SDK for Java v2's own mTLS builders on port 443, against the emulator's ALPN listener there
 * ({@code --mqtt-alpn-port 443}, which behaves as AWS IoT's 443: ALPN {@code x-amzn-mqtt-ca} or no MQTT). The
 * SDK's builders offer that ALPN themselves (the MQTT 3.1.1 builder also defaults its port to 443 when the platform
 * has ALPN); here a claim provisions a device over each builder, and the device reconnects with its own certificate.
 * That ALPN was negotiated is read from both sides: the emulator's 443 serves MQTT to nothing else, and the SDK's
 * TLS layer logs the protocol it negotiated. Without ALPN, the same client on 443 gets no MQTT.
 *
 * <p>Only one process can hold port 443: every 443 test is in this one class. Binding it needs root (or
 * CAP_NET_BIND_SERVICE); where that is not possible the class is skipped with a message.
 */
class DeviceSdkAlpn443IT {

    private static final int PORT = 443;
    private static final String TEMPLATE = "alpn-443-template";
    private static final String NEGOTIATED = "Alpn protocol negotiated as " + MqttBroker.AWS_MQTT_ALPN;

    private static IotEmulator emulator;
    private static CrtTlsLog tlsLog;

    @TempDir
    static Path files;

    private static Path caFile;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket probe = new ServerSocket(PORT, 1, InetAddress.getByName("127.0.0.1"))) {
            // free and ours to bind: the emulator takes it next
        } catch (IOException e) {
            Assumptions.abort("port 443 cannot be bound here (" + e.getMessage()
                    + "): run as root or with CAP_NET_BIND_SERVICE, with nothing else on 443");
        }
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().mqttAlpnPort(PORT).build());
        emulator.registry()
                .templates()
                .create(TEMPLATE, "443/ALPN", Templates.DEVICE_TEMPLATE, true, Templates.ROLE, null, null);
        caFile = Files.writeString(files.resolve("ca.pem"), emulator.caCertificatePem());
        tlsLog = CrtTlsLog.start(Path.of("target", "aws-crt-alpn-443.log"));
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void mqtt5MtlsBuilderProvisionsByClaimOnPort443() throws Exception {
        assertThat(emulator.mqttAlpnPort()).isEqualTo(PORT);
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "A5-" + UUID.randomUUID().toString().substring(0, 8);
        Credentials claimFiles =
                Credentials.write(files, "claim-" + serial, claim.certificatePem(), claim.privateKeyPem());

        long logMark = tlsLog.mark();
        CreateKeysAndCertificateResponse keys;
        RegisterThingResponse registered;
        try (var device = connectMqtt5(claimFiles, "claim-" + serial)) {
            assertConnected("claim-" + serial);
            keys = device.createKeysAndCertificate();
            registered = device.registerThing(TEMPLATE, keys.certificateOwnershipToken, Map.of("SerialNumber", serial));
        }
        tlsLog.assertNegotiatedSince(logMark);
        assertThat(registered.thingName).isEqualTo("device-" + serial);
        assertThat(emulator.registry().certificates().get(keys.certificateId).status())
                .isEqualTo(CertificateStatus.ACTIVE);

        Credentials deviceFiles = Credentials.write(files, registered.thingName, keys.certificatePem, keys.privateKey);
        logMark = tlsLog.mark();
        try (var device = connectMqtt5(deviceFiles, registered.thingName)) {
            assertThat(device.connection().getConnAckPacket().getReasonCode().getValue())
                    .isZero();
            assertConnected(registered.thingName);
        }
        tlsLog.assertNegotiatedSince(logMark);
    }

    @Test
    void mqtt311MtlsBuilderProvisionsByClaimOnPort443() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String serial = "A3-" + UUID.randomUUID().toString().substring(0, 8);
        Credentials claimFiles =
                Credentials.write(files, "claim-" + serial, claim.certificatePem(), claim.privateKeyPem());

        long logMark = tlsLog.mark();
        CreateKeysAndCertificateResponse keys;
        RegisterThingResponse registered;
        try (var device = Mqtt311Device.connect(claimFiles, "claim-" + serial)) {
            assertConnected("claim-" + serial);
            keys = device.identity()
                    .createKeysAndCertificate(new CreateKeysAndCertificateRequest())
                    .get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            var request = new RegisterThingRequest();
            request.templateName = TEMPLATE;
            request.certificateOwnershipToken = keys.certificateOwnershipToken;
            request.parameters = new HashMap<>(Map.of("SerialNumber", serial));
            registered = device.identity().registerThing(request).get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        tlsLog.assertNegotiatedSince(logMark);
        assertThat(registered.thingName).isEqualTo("device-" + serial);

        Credentials deviceFiles = Credentials.write(files, registered.thingName, keys.certificatePem, keys.privateKey);
        logMark = tlsLog.mark();
        try (var device = Mqtt311Device.connect(deviceFiles, registered.thingName)) {
            assertConnected(registered.thingName);
        }
        tlsLog.assertNegotiatedSince(logMark);
    }

    @Test
    void withoutAlpnPort443ServesNoMqtt() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        String clientId = "no-alpn-" + UUID.randomUUID().toString().substring(0, 8);
        Credentials claimFiles = Credentials.write(files, clientId, claim.certificatePem(), claim.privateKeyPem());

        // The SDK's client stack with the same certificate, CA and port, only without the ALPN offer.
        Throwable refused = catchThrowable(() -> crtConnect(claimFiles, clientId, null));
        assertThat(refused).isNotNull().hasMessageContaining("connect failed");
        assertThat(emulator.broker().connectedClients()).doesNotContain(clientId);

        // The control: the very same options offering x-amzn-mqtt-ca connect.
        crtConnect(claimFiles, clientId, MqttBroker.AWS_MQTT_ALPN);
    }

    /**
     * The emulator's side: the client id is among the broker's connections (all on 443 here). The broker lists a
     * connection just after its CONNACK is sent, so a client may hear of it first.
     */
    private static void assertConnected(String clientId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!emulator.broker().connectedClients().contains(clientId) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(emulator.broker().connectedClients()).contains(clientId);
    }

    /** The MQTT 5 client of the SDK's mTLS builder from files, on port 443. */
    private static Mqtt5Device connectMqtt5(Credentials credentials, String clientId) throws Exception {
        try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                emulator.mqttHost(),
                credentials.certificate().toString(),
                credentials.privateKey().toString())) {
            builder.withCertificateAuthorityFromPath(null, caFile.toString()).withPort((long) PORT);
            return Mqtt5Device.connect(builder, clientId);
        }
    }

    /** A plain CRT MQTT 5 client on port 443 offering {@code alpn} (none when null); connects, then disconnects. */
    private static void crtConnect(Credentials credentials, String clientId, String alpn) throws Exception {
        var connected = new CompletableFuture<OnConnectionSuccessReturn>();
        try (TlsContextOptions tls = TlsContextOptions.createWithMtlsFromPath(
                        credentials.certificate().toString(),
                        credentials.privateKey().toString())
                .withCertificateAuthorityFromPath(null, caFile.toString())) {
            if (alpn != null) {
                tls.withAlpnList(alpn);
            }
            try (TlsContext context = new TlsContext(tls);
                    Mqtt5Client client = new Mqtt5Client(new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder(
                                    emulator.mqttHost(), (long) PORT)
                            .withTlsContext(context)
                            .withConnectOptions(new ConnectPacket.ConnectPacketBuilder()
                                    .withClientId(clientId)
                                    .build())
                            .withLifecycleEvents(new Mqtt5ClientOptions.LifecycleEvents() {
                                @Override
                                public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {}

                                @Override
                                public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
                                    connected.complete(r);
                                }

                                @Override
                                public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
                                    connected.completeExceptionally(new IllegalStateException(
                                            "connect failed: " + CRT.awsErrorString(r.getErrorCode())));
                                }

                                @Override
                                public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {}

                                @Override
                                public void onStopped(Mqtt5Client c, OnStoppedReturn r) {}
                            })
                            .build())) {
                client.start();
                try {
                    connected.get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw (Exception) e.getCause();
                } finally {
                    client.stop();
                }
            }
        }
    }

    /** A certificate and its key as files, as the SDK's {@code ...FromPath} builders read them. */
    record Credentials(Path certificate, Path privateKey) {
        static Credentials write(Path dir, String name, String certificatePem, String privateKeyPem)
                throws IOException {
            return new Credentials(
                    Files.writeString(dir.resolve(name + ".pem.crt"), certificatePem),
                    Files.writeString(dir.resolve(name + ".private.key"), privateKeyPem));
        }
    }

    /**
     * A device over MQTT 3.1.1 as the SDK's {@code AwsIotMqttConnectionBuilder.newMtlsBuilderFromPath} builds it,
     * on port 443, with the V2 identity client on top.
     */
    private static final class Mqtt311Device implements AutoCloseable {

        private final MqttClientConnection connection;
        private IotIdentityV2Client identity;

        private Mqtt311Device(MqttClientConnection connection) {
            this.connection = connection;
        }

        static Mqtt311Device connect(Credentials credentials, String clientId) throws Exception {
            try (AwsIotMqttConnectionBuilder builder = AwsIotMqttConnectionBuilder.newMtlsBuilderFromPath(
                    credentials.certificate().toString(),
                    credentials.privateKey().toString())) {
                builder.withCertificateAuthorityFromPath(null, caFile.toString())
                        .withEndpoint(emulator.mqttHost())
                        .withPort(PORT)
                        .withClientId(clientId)
                        .withCleanSession(true);
                MqttClientConnection connection = builder.build();
                try {
                    connection.connect().get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return new Mqtt311Device(connection);
                } catch (Exception e) {
                    connection.close();
                    throw e;
                }
            }
        }

        IotIdentityV2Client identity() {
            if (identity == null) {
                identity = IotIdentityV2Client.newFromMqtt311(
                        connection,
                        MqttRequestResponseClientOptions.builder()
                                .withMaxRequestResponseSubscriptions(5)
                                .withMaxStreamingSubscriptions(2)
                                .withOperationTimeoutSeconds((int) Mqtt5Device.TIMEOUT_SECONDS)
                                .build());
            }
            return identity;
        }

        @Override
        public void close() throws Exception {
            if (identity != null) {
                identity.close();
            }
            connection.disconnect().get(Mqtt5Device.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            connection.close();
        }
    }

    /**
     * The CRT's own log at debug level, where its TLS layer writes the ALPN protocol each handshake negotiated. The
     * CRT's logging is process-wide and may be set up once, so this class sets it up (no other test here does) and
     * reads what was appended after a mark.
     */
    private record CrtTlsLog(Path file) {

        static CrtTlsLog start(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Log.initLoggingToFile(Log.LogLevel.Debug, file.toAbsolutePath().toString());
            return new CrtTlsLog(file);
        }

        long mark() throws IOException {
            return Files.exists(file) ? Files.size(file) : 0;
        }

        /** The CRT writes its log from a background thread: wait a little for the handshake's line. */
        void assertNegotiatedSince(long mark) throws Exception {
            String appended = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                appended = since(mark);
                if (appended.contains(NEGOTIATED)) {
                    return;
                }
                Thread.sleep(100);
            }
            assertThat(appended)
                    .as("the CRT's TLS log (%s) after the connection", file)
                    .contains(NEGOTIATED);
        }

        private String since(long mark) throws IOException {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] all = Files.readAllBytes(file);
            return new String(
                    all,
                    (int) Math.min(mark, all.length),
                    (int) Math.max(0, all.length - mark),
                    StandardCharsets.UTF_8);
        }
    }
}
