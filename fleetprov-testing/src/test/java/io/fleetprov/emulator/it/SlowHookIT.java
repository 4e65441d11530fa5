package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import io.fleetprov.testing.SdkDevice;
import io.fleetprov.testing.TestTemplates;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;

/**
 * A slow pre-provisioning hook delays only its own template's devices, as on AWS: while as many of its calls are held
 * as the machine has cores (what once filled the emulator's only provisioning pool), a device of another template
 * still gets its certificate and its thing; once the hook answers, every held device is registered.
 */
class SlowHookIT {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final ExecutorService devices = Executors.newCachedThreadPool();
    private final ExecutorService hookThreads = Executors.newCachedThreadPool();
    private HttpServer hook;
    private IotEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(hookThreads);
        hook.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = PayloadCodec.json().encode(new PreProvisioningHookResponse(true, Map.of()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            answered.incrementAndGet();
        });
        hook.start();
        // Longer than the device's wait for an answer: a registration stuck behind the held hooks fails the test
        // instead of going through once they are denied at the deadline.
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .hookTimeout(Duration.ofSeconds(60))
                .build());
        TestTemplates.create(
                emulator.registry(),
                "slow",
                "device-",
                "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        TestTemplates.create(emulator.registry(), "plain", "device-", null);
    }

    @AfterEach
    void stop() {
        release.countDown();
        devices.shutdownNow();
        emulator.close();
        hook.stop(0);
        hookThreads.shutdownNow();
    }

    @Test
    void aDeviceOfAnotherTemplateProvisionsWhileTheSlowHookHoldsItsOwn() throws Exception {
        int held = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            String serial = "SLOW-" + i;
            slow.add(CompletableFuture.supplyAsync(() -> provision("slow", serial), devices));
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (arrived.get() < held && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        assertThat(arrived).as("hook calls held").hasValue(held);

        assertThat(provision("plain", "PLAIN-1")).isEqualTo("device-PLAIN-1");
        assertThat(answered).as("the slow hook had not answered yet").hasValue(0);

        release.countDown();
        for (int i = 0; i < held; i++) {
            assertThat(slow.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("device-SLOW-" + i);
        }
        assertThat(emulator.registry().things().find("device-PLAIN-1")).isPresent();
    }

    /**
     * The pool's threads are held by hook calls, so a device must not be able to start several: while its token's
     * call is pending, the same token sent again (here from a second connection of the same claim) is refused at
     * once and calls no hook; the pending registration still completes.
     */
    @Test
    void aTokenWhoseHookCallIsPendingStartsNoSecondOne() throws Exception {
        ProvisioningClaim claim = emulator.createProvisioningClaim("slow");
        try (SdkDevice device =
                        SdkDevice.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-REPLAY");
                SdkDevice replayer =
                        SdkDevice.connect(emulator, claim.certificatePem(), claim.privateKeyPem(), "claim-REPLAY-2")) {
            String token = device.createKeysAndCertificate().certificateOwnershipToken;
            Map<String, String> parameters = Map.of("SerialNumber", "REPLAY");
            CompletableFuture<RegisterThingResponse> first = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return device.registerThing("slow", token, parameters);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    devices);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (arrived.get() < 1 && System.nanoTime() < waitUntil) {
                Thread.sleep(20);
            }
            assertThat(arrived).as("the first hook call held").hasValue(1);

            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> replayer.registerThing("slow", token, parameters))
                        .hasRootCauseInstanceOf(SdkDevice.Rejected.class)
                        .hasMessageContaining("InvalidCertificateOwnershipToken");
            }
            assertThat(arrived).as("hook calls").hasValue(1);

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS).thingName).isEqualTo("device-REPLAY");
        }
    }

    private String provision(String template, String serial) {
        try {
            return SdkDevice.provision(emulator, template, serial);
        } catch (Exception e) {
            throw new IllegalStateException(template + " device " + serial + " was not provisioned", e);
        }
    }
}
