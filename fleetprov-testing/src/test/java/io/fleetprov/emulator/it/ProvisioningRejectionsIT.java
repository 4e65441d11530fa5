package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.ErrorResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.protocol.model.RegisterThingResponse;
import io.fleetprov.testing.TestClock;
import io.fleetprov.testing.TestTemplates;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way the fleet-provisioning API refuses a request, each checked against the exact rejected payload or the
 * disconnect, with a raw MQTT client so malformed payloads can be sent.
 */
class ProvisioningRejectionsIT {

    private static final String TEMPLATE = "rejections-template";
    private static final String DENY_TEMPLATE = "hook-deny-template";
    private static final String SLOW_TEMPLATE = "hook-slow-template";
    private static final String JSON_CREATE = FleetTopics.createKeysAndCertificate(PayloadFormat.JSON);
    private static final String JSON_REGISTER = FleetTopics.registerThing(TEMPLATE, PayloadFormat.JSON);

    private static final TestClock clock = TestClock.stoppedNow();
    private static IotEmulator emulator;
    private static HttpServer hook;

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/deny", exchange -> {
            byte[] body = "{\"allowProvisioning\":false}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hook.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        hook.setExecutor(Executors.newCachedThreadPool());
        hook.start();
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .clock(clock)
                .hookTimeout(Duration.ofMillis(500))
                .build());
        var registry = emulator.registry();
        TestTemplates.create(registry, TEMPLATE, "device-", null);
        String hookBase = "http://127.0.0.1:" + hook.getAddress().getPort();
        TestTemplates.create(registry, DENY_TEMPLATE, "device-", hookBase + "/deny");
        TestTemplates.create(registry, SLOW_TEMPLATE, "device-", hookBase + "/slow");
    }

    @AfterAll
    static void stop() {
        emulator.close();
        hook.stop(0);
    }

    @Test
    void unknownTemplate() throws Exception {
        var credentials = Devices.activeDevice(emulator, "allow-all");
        try (var device = Devices.connect(
                emulator, credentials.certificatePem(), credentials.privateKeyPem(), "device-" + UUID.randomUUID())) {
            var keys = createKeys(device);
            var reply = device.request(
                    FleetTopics.registerThing("no-such-template", PayloadFormat.JSON),
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", "1"))));
            assertRejected(reply, 404, "ResourceNotFound", "Provisioning template no-such-template not found.");
        }
    }

    @Test
    void missingParameter() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var keys = createKeys(device);
            var reply = device.request(
                    JSON_REGISTER, json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of())));
            assertRejected(reply, 400, "InvalidParameters", null);
            assertThat(error(reply).errorMessage()).contains("SerialNumber");
        }
    }

    @Test
    void emptyToken() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var reply = device.request(JSON_REGISTER, "{\"parameters\":{\"SerialNumber\":\"1\"}}".getBytes());
            assertRejected(
                    reply, 400, "InvalidCertificateOwnershipToken", "Certificate ownership token cannot be empty.");
        }
    }

    @Test
    void reusedToken() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var keys = createKeys(device);
            var request = new RegisterThingRequest(
                    keys.certificateOwnershipToken(),
                    Map.of(
                            "SerialNumber",
                            "reuse-" + UUID.randomUUID().toString().substring(0, 6)));
            assertThat(device.request(JSON_REGISTER, json(request)).accepted()).isTrue();
            var again = device.request(JSON_REGISTER, json(request));
            assertRejected(
                    again,
                    400,
                    "InvalidCertificateOwnershipToken",
                    "Certificate ownership token is invalid or has already been used.");
        }
    }

    @Test
    void expiredToken() throws Exception {
        var credentials = Devices.activeDevice(emulator, "allow-all");
        try (var device = Devices.connect(
                emulator, credentials.certificatePem(), credentials.privateKeyPem(), "device-" + UUID.randomUUID())) {
            var keys = createKeys(device);
            clock.advance(Duration.ofMinutes(61));
            var reply = device.request(
                    FleetTopics.registerThing(TEMPLATE, PayloadFormat.JSON),
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", "x"))));
            assertRejected(reply, 400, "InvalidCertificateOwnershipToken", null);
            // An unregistered certificate goes away with its token, as on AWS.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> emulator.registry()
                            .certificates()
                            .find(keys.certificateId())
                            .isEmpty());
        }
    }

    @Test
    void anotherCertificatesToken() throws Exception {
        try (var owner = claimDevice(TEMPLATE);
                var thief = claimDevice(TEMPLATE)) {
            var keys = createKeys(owner);
            var reply = thief.request(
                    JSON_REGISTER,
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", "1"))));
            assertRejected(
                    reply,
                    400,
                    "InvalidCertificateOwnershipToken",
                    "Certificate ownership token was not issued to this client.");
            // The owner can still use it.
            var ownReply = owner.request(
                    JSON_REGISTER,
                    json(new RegisterThingRequest(
                            keys.certificateOwnershipToken(),
                            Map.of(
                                    "SerialNumber",
                                    "owner-" + UUID.randomUUID().toString().substring(0, 6)))));
            assertThat(ownReply.accepted()).as(ownReply.text()).isTrue();
        }
    }

    @Test
    void expiredClaimIsRefusedAtConnect() {
        ProvisioningClaim claim = emulator.createProvisioningClaim(TEMPLATE);
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> Devices.connect(
                        emulator, claim.certificatePem(), claim.privateKeyPem(), "late-" + UUID.randomUUID()))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void unknownCertificateIsRefusedAtConnect() throws Exception {
        var credentials = Devices.activeDevice(emulator, "allow-all");
        emulator.registry()
                .certificates()
                .updateStatus(credentials.certificateId(), io.fleetprov.emulator.registry.CertificateStatus.INACTIVE);
        assertThatThrownBy(() -> Devices.connect(
                        emulator,
                        credentials.certificatePem(),
                        credentials.privateKeyPem(),
                        "inactive-" + UUID.randomUUID()))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void claimPublishingOutsideItsTopicsIsDisconnected() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            assertThat(device.publishAndAwaitDrop("devices/anything/telemetry", "x".getBytes()))
                    .isNotNull();
        }
    }

    @Test
    void claimOfOneTemplateCannotUseAnother() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            assertThat(device.publishAndAwaitDrop(
                            FleetTopics.registerThing(DENY_TEMPLATE, PayloadFormat.JSON), "{}".getBytes()))
                    .isNotNull();
        }
    }

    @Test
    void hookDenies() throws Exception {
        try (var device = claimDevice(DENY_TEMPLATE)) {
            var keys = createKeys(device);
            var reply = device.request(
                    FleetTopics.registerThing(DENY_TEMPLATE, PayloadFormat.JSON),
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", "1"))));
            assertRejected(reply, 403, "AccessDenied", "Pre-provisioning hook denied provisioning.");
        }
    }

    @Test
    void hookTimesOut() throws Exception {
        try (var device = claimDevice(SLOW_TEMPLATE)) {
            var keys = createKeys(device);
            var reply = device.request(
                    FleetTopics.registerThing(SLOW_TEMPLATE, PayloadFormat.JSON),
                    json(new RegisterThingRequest(keys.certificateOwnershipToken(), Map.of("SerialNumber", "1"))));
            assertRejected(
                    reply,
                    403,
                    "AccessDenied",
                    "Pre-provisioning hook failed: pre-provisioning hook did not answer within 500 ms");
        }
    }

    @Test
    void malformedJson() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var reply = device.request(JSON_REGISTER, "{\"certificateOwnershipToken\":".getBytes());
            assertRejected(reply, 400, "InvalidPayload", null);
            assertThat(error(reply).errorMessage()).startsWith("malformed JSON payload");
        }
    }

    @Test
    void malformedCbor() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var reply = device.request(
                    FleetTopics.registerThing(TEMPLATE, PayloadFormat.CBOR), new byte[] {(byte) 0xA2, 0x61, 'a'});
            assertThat(reply.accepted()).isFalse();
            var error = PayloadCodec.cbor().decode(reply.payload(), ErrorResponse.class);
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.errorCode()).isEqualTo("InvalidPayload");
            assertThat(error.errorMessage()).startsWith("malformed CBOR payload");
        }
    }

    @Test
    void cborFlowAnswersInCbor() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var keysReply = device.request(FleetTopics.createKeysAndCertificate(PayloadFormat.CBOR), new byte[0]);
            assertThat(keysReply.accepted()).isTrue();
            var keys = PayloadCodec.cbor().decode(keysReply.payload(), CreateKeysAndCertificateResponse.class);
            String serial = "cbor-" + UUID.randomUUID().toString().substring(0, 6);
            byte[] request = new CBORMapper()
                    .writeValueAsBytes(Map.of(
                            "certificateOwnershipToken",
                            keys.certificateOwnershipToken(),
                            "parameters",
                            Map.of("SerialNumber", serial)));
            var reply = device.request(FleetTopics.registerThing(TEMPLATE, PayloadFormat.CBOR), request);
            assertThat(reply.accepted()).isTrue();
            var registered = PayloadCodec.cbor().decode(reply.payload(), RegisterThingResponse.class);
            assertThat(registered.thingName()).isEqualTo("device-" + serial);
        }
    }

    @Test
    void oversizedPayloadIsRejected() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            var reply = device.request(JSON_REGISTER, new byte[PayloadCodec.MAX_PAYLOAD_BYTES + 1]);
            assertRejected(reply, 413, "PayloadTooLarge", null);
        }
    }

    @Test
    void farOversizedMessageIsDisconnected() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            String clientId = device.client.getClientId();
            // The broker lists a client once its session is bound, which can be just after Paho's CONNACK.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> emulator.broker().connectedClients().contains(clientId));
            // Paho blocks writing a message the broker stops reading, so it writes from its own thread.
            Thread writer = new Thread(() -> {
                try {
                    device.client.publish(JSON_REGISTER, new byte[200 * 1024], 0, false);
                } catch (MqttException expected) {
                    // the broker drops the connection
                }
            });
            writer.setDaemon(true);
            writer.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !emulator.broker().connectedClients().contains(clientId));
        }
    }

    @Test
    void throttledRequest() throws Exception {
        emulator.throttle().setRate("CreateKeysAndCertificate", 1);
        try (var device = claimDevice(TEMPLATE)) {
            // The test clock stands still, so the bucket refills only when the test moves it.
            assertThat(device.request(JSON_CREATE, new byte[0]).accepted()).isTrue();
            var reply = device.request(JSON_CREATE, new byte[0]);
            assertRejected(reply, 429, "Throttling", "Rate exceeded for CreateKeysAndCertificate");
        } finally {
            emulator.throttle().setRate("CreateKeysAndCertificate", 0);
        }
    }

    @Test
    void answersGoOnlyToTheRequester() throws Exception {
        try (var requester = claimDevice(TEMPLATE);
                var bystander = claimDevice(TEMPLATE)) {
            var overheard = new CompletableFuture<byte[]>();
            bystander.client.subscribe(JSON_CREATE + "/accepted", 1, (t, m) -> overheard.complete(m.getPayload()));
            assertThat(requester.request(JSON_CREATE, new byte[0]).accepted()).isTrue();
            Thread.sleep(1_000);
            assertThat(overheard).isNotDone();
            // The bystander still gets its own answer on the same topic.
            assertThat(bystander.request(JSON_CREATE, new byte[0]).accepted()).isTrue();
        }
    }

    @Test
    void subscribeOutsideThePolicyIsDisconnected() throws Exception {
        try (var device = claimDevice(TEMPLATE)) {
            device.client.subscribe("$aws/events/#", 1);
            assertThat(device.connectionLost.get(10, TimeUnit.SECONDS)).isNotNull();
        } catch (MqttException expected) {
            // Paho may report the refused SUBACK before the connection drops; either way the client is gone.
        }
    }

    private static Devices.RawDevice claimDevice(String template) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(template);
        return Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + UUID.randomUUID());
    }

    private static CreateKeysAndCertificateResponse createKeys(Devices.RawDevice device) throws Exception {
        var reply = device.request(JSON_CREATE, "{}".getBytes());
        assertThat(reply.accepted()).as(reply.text()).isTrue();
        return PayloadCodec.json().decode(reply.payload(), CreateKeysAndCertificateResponse.class);
    }

    private static byte[] json(Object value) {
        return PayloadCodec.json().encode(value);
    }

    private static ErrorResponse error(Devices.Reply reply) {
        return PayloadCodec.json().decode(reply.payload(), ErrorResponse.class);
    }

    private static void assertRejected(Devices.Reply reply, int statusCode, String errorCode, String message) {
        assertThat(reply.accepted()).as(reply.text()).isFalse();
        ErrorResponse error = error(reply);
        assertThat(error.statusCode()).isEqualTo(statusCode);
        assertThat(error.errorCode()).isEqualTo(errorCode);
        if (message != null) {
            assertThat(error.errorMessage()).isEqualTo(message);
        }
    }
}
