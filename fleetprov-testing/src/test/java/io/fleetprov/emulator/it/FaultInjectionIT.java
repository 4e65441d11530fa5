package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.faults.FaultSettings;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.model.CreateKeysAndCertificateResponse;
import io.fleetprov.protocol.model.ErrorResponse;
import io.fleetprov.protocol.model.RegisterThingRequest;
import io.fleetprov.testing.TestTemplates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Faults injected at run time change what devices see, and go away when reset. */
class FaultInjectionIT {

    private static final String TEMPLATE = "faults-template";
    private static final String SLOW_HOOK_TEMPLATE = "faults-slow-hook";
    private static final String CREATE = FleetTopics.createKeysAndCertificate(PayloadFormat.JSON);
    private static IotEmulator emulator;
    private static HttpServer hook;

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(Executors.newCachedThreadPool());
        hook.createContext("/slow", exchange -> {
            try {
                Thread.sleep(1_000);
                byte[] allow = "{\"allowProvisioning\":true}".getBytes();
                exchange.sendResponseHeaders(200, allow.length);
                exchange.getResponseBody().write(allow);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        hook.start();
        emulator = IotEmulator.start(EmulatorConfig.builder().forTests().build());
        TestTemplates.create(emulator.registry(), TEMPLATE, "device-", null);
        TestTemplates.create(
                emulator.registry(),
                SLOW_HOOK_TEMPLATE,
                "device-",
                "http://127.0.0.1:" + hook.getAddress().getPort() + "/slow");
    }

    @AfterAll
    static void stop() {
        emulator.close();
        hook.stop(0);
    }

    @AfterEach
    void reset() {
        emulator.faults().update(new FaultSettings(Map.of("CreateKeysAndCertificate", 0.0), 0L, 0.0, 5000L, 0.0));
    }

    @Test
    void droppedAcceptedAnswersNeverArrive() throws Exception {
        emulator.faults().update(new FaultSettings(null, null, 1.0, null, null));
        try (var device = claimDevice(TEMPLATE)) {
            var reply = new CompletableFuture<byte[]>();
            device.client.subscribe(CREATE + "/accepted", 1, (t, m) -> reply.complete(m.getPayload()));
            device.client.publish(CREATE, new byte[0], 1, false);
            Thread.sleep(1_500);
            assertThat(reply).isNotDone();

            emulator.faults().update(new FaultSettings(null, null, 0.0, null, null));
            assertThat(device.request(CREATE, new byte[0]).accepted()).isTrue();
        }
    }

    @Test
    void disconnectBetweenCreateAndRegister() throws Exception {
        emulator.faults().update(new FaultSettings(null, null, null, null, 1.0));
        try (var device = claimDevice(TEMPLATE)) {
            var reply = device.request(CREATE, new byte[0]);
            assertThat(reply.accepted()).isTrue();
            assertThat(device.connectionLost).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void addedLatencyDelaysAnswers() throws Exception {
        emulator.faults().update(new FaultSettings(null, 600L, null, null, null));
        try (var device = claimDevice(TEMPLATE)) {
            long start = System.nanoTime();
            assertThat(device.request(CREATE, new byte[0]).accepted()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void shorterHookDeadlineDeniesSlowHooks() throws Exception {
        emulator.faults().update(new FaultSettings(null, null, null, 200L, null));
        try (var device = claimDevice(SLOW_HOOK_TEMPLATE)) {
            var keys = PayloadCodec.json()
                    .decode(device.request(CREATE, new byte[0]).payload(), CreateKeysAndCertificateResponse.class);
            var reply = device.request(
                    FleetTopics.registerThing(SLOW_HOOK_TEMPLATE, PayloadFormat.JSON),
                    PayloadCodec.json()
                            .encode(new RegisterThingRequest(
                                    keys.certificateOwnershipToken(), Map.of("SerialNumber", "slow"))));
            var error = PayloadCodec.json().decode(reply.payload(), ErrorResponse.class);
            assertThat(error.statusCode()).isEqualTo(403);
            assertThat(error.errorMessage()).contains("did not answer within 200 ms");
        }
    }

    @Test
    void throttlingSetAtRunTime() throws Exception {
        emulator.faults().update(new FaultSettings(Map.of("CreateKeysAndCertificate", 0.001), null, null, null, null));
        assertThat(emulator.faults().settings().throttle()).containsEntry("CreateKeysAndCertificate", 0.001);
        try (var device = claimDevice(TEMPLATE)) {
            assertThat(device.request(CREATE, new byte[0]).accepted()).isTrue();
            var reply = device.request(CREATE, new byte[0]);
            assertThat(PayloadCodec.json()
                            .decode(reply.payload(), ErrorResponse.class)
                            .errorCode())
                    .isEqualTo("Throttling");
        }
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThatThrownBy(() -> emulator.faults().update(new FaultSettings(null, null, 1.5, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropAcceptedFraction");
        assertThatThrownBy(() -> emulator.faults().update(new FaultSettings(null, -1L, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latencyMillis");
        assertThat(emulator.faults().settings().dropAcceptedFraction()).isZero();
    }

    @Test
    void faultsCanBeChangedOverHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI faults = URI.create(emulator.httpUrl() + "/_emulator/faults");
        HttpResponse<String> updated = http.send(
                HttpRequest.newBuilder(faults)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"dropAcceptedFraction\":0.25,\"latencyMillis\":5}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(emulator.faults().settings().dropAcceptedFraction()).isEqualTo(0.25);
        assertThat(emulator.faults().settings().latencyMillis()).isEqualTo(5);

        HttpResponse<String> current =
                http.send(HttpRequest.newBuilder(faults).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(current.body()).contains("\"dropAcceptedFraction\":0.25");

        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(faults)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"disconnectAfterCreateFraction\":2}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestException");
        assertThat(refused.body()).contains("disconnectAfterCreateFraction must be between 0 and 1");
    }

    private static Devices.RawDevice claimDevice(String template) throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim(template);
        return Devices.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-" + UUID.randomUUID());
    }
}
