package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.protocol.hook.PreProvisioningHookRequest;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.FlowRuntime;
import io.fleetprov.simulator.load.FaultPlan;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.LoadRunner;
import io.fleetprov.simulator.load.Shard;
import io.fleetprov.simulator.report.FaultTally;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.testing.TestTemplates;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault mode against a real emulator whose template has a pre-provisioning hook that binds claims to serial
 * numbers, the way claim-service does; claims live 3 s so the expired-claim fault is quick.
 */
class FaultModesIT {

    private static final String HOOKED = "hooked-template";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Short enough for the expired-claim fault to wait it out, long enough that honest devices on a busy 2-core
     * machine finish well inside it.
     */
    @RegisterExtension
    static IotEmulatorExtension emulatorExtension =
            IotEmulatorExtension.configured(b -> b.claimLifetime(Duration.ofSeconds(12)));

    private static HttpServer hook;
    private static EmulatorClaims claims;

    @RegisterExtension
    static FlowRuntime runtime = new FlowRuntime();

    private static ProvisioningFlow flow;

    @BeforeAll
    static void start() throws Exception {
        IotEmulator emulator = emulatorExtension.get();
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            var request = JSON.readValue(exchange.getRequestBody(), PreProvisioningHookRequest.class);
            String bound = claims.serialOf(request.claimCertificateId());
            boolean allow = bound != null && bound.equals(request.parameters().get("SerialNumber"));
            byte[] body = ("{\"allowProvisioning\":" + allow + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        hook.start();
        emulator.registry()
                .templates()
                .create(
                        HOOKED,
                        null,
                        TestTemplates.deviceTemplate("device-"),
                        true,
                        TestTemplates.ROLE,
                        new ProvisioningTemplate.PreProvisioningHook(
                                "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook", "2020-04-01"),
                        null);
        claims = new EmulatorClaims(emulator, HOOKED);
        flow = new ProvisioningFlow(
                runtime.vertx(),
                new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false),
                FlowOptions.defaults(HOOKED).withTimeout(Duration.ofSeconds(10)),
                runtime.cpu());
    }

    @AfterAll
    static void stop() {
        hook.stop(0);
    }

    @ParameterizedTest
    @EnumSource(FaultMode.class)
    void eachFaultIsRefusedAsExpected(FaultMode fault) throws Exception {
        String serial = fault.label() + "-" + UUID.randomUUID().toString().substring(0, 6);
        FaultResult result = flow.runFault(serial, claims, fault).get(30, TimeUnit.SECONDS);
        assertThat(result.mode()).isEqualTo(fault);
        assertThat(result.asExpected()).as("observed %s", result.observed()).isTrue();
        assertThat(result.observed()).isNotEqualTo(FaultResult.ACCEPTED);
    }

    @Test
    void anHonestDeviceStillProvisionsThroughTheHook() throws Exception {
        ProvisionedDevice device = flow.provision("honest-1", claims, System.nanoTime(), FlowListener.NONE)
                .get(30, TimeUnit.SECONDS);
        assertThat(device.thingName()).isEqualTo("device-honest-1");
    }

    @Test
    void theRunReportsRejectionsReceivedAgainstExpected() {
        var plan = new LoadPlan(
                "faulty",
                20,
                null,
                40,
                Duration.ZERO,
                20,
                Shard.SINGLE,
                "sim-",
                FaultPlan.parse(List.of("reuse-token:0.2", "wrong-serial:0.2", "malformed-payload:0.1")));
        RunData run = new LoadRunner(flow, claims, plan, d -> {}).run(Map.of(), m -> {});

        long injected =
                run.faults().values().stream().mapToLong(FaultTally::injected).sum();
        assertThat(injected).isBetween(8L, 12L);
        assertThat(run.requested()).isEqualTo(20 - injected);
        assertThat(run.provisioned()).as("failures %s", run.failuresByCode()).isEqualTo(run.requested());
        assertThat(run.faults()).containsOnlyKeys("reuse-token", "wrong-serial", "malformed-payload");
        run.faults()
                .forEach((mode, tally) -> assertThat(tally.asExpected())
                        .as(mode + " " + tally.observed())
                        .isEqualTo(tally.injected()));
        assertThat(run.faults().get("wrong-serial").observed()).containsOnlyKeys("AccessDenied");
    }
}
