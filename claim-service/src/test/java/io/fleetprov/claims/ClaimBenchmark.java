package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotAsyncClient;

/**
 * Claims per second through claim-service (OIDC, quota, PostgreSQL, outbox, SDK call) next to the emulator's raw
 * CreateProvisioningClaim rate through the same SDK in the same run. Run it with
 * {@code ./mvnw -o -pl claim-service -am test -Dtest=ClaimBenchmark -Dbenchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@TestProfile(ClaimBenchmark.Unlimited.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClaimBenchmark {

    private static final int CLAIMS = Integer.getInteger("benchmark.claims", 2000);
    private static final int CONCURRENCY = Integer.getInteger("benchmark.concurrency", 16);
    private static final int WARMUP = 200;

    /** Quotas and service-wide limits out of the way: this measures the service's own cost. */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String ft =
                    "quarkus.fault-tolerance.\"io.fleetprov.claims.client.IotClaimClient/createProvisioningClaim\".";
            return Map.of(
                    "fleetprov.quota.claims-per-minute",
                    "1000000",
                    "fleetprov.quota.outstanding",
                    "1000000",
                    ft + "rate-limit.value",
                    "1000000",
                    ft + "bulkhead.value",
                    "64",
                    "fleetprov.claims.max-in-flight",
                    "64",
                    "quarkus.datasource.jdbc.max-size",
                    "72",
                    "quarkus.log.category.\"io.fleetprov\".level",
                    "WARN");
        }
    }

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void claimsPerSecondAgainstRawCreateProvisioningClaim() throws Exception {
        String token = Tokens.of(ClaimServiceEmulator.installer());
        Callable<Void> viaService = () -> {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("serialNumber", Claims.serial()))
                    .post("/v1/claims")
                    .then()
                    .statusCode(201);
            return null;
        };
        try (IotAsyncClient iot = IotAsyncClient.builder()
                .endpointOverride(URI.create(Tokens.config("fleetprov.aws.endpoint-override")))
                .region(Region.US_EAST_1)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            Callable<Void> raw = () -> {
                iot.createProvisioningClaim(r -> r.templateName(ClaimServiceEmulator.TEMPLATE))
                        .join();
                return null;
            };
            run(raw, WARMUP);
            run(viaService, WARMUP);
            Result rawResult = run(raw, CLAIMS);
            Result serviceResult = run(viaService, CLAIMS);
            System.out.printf(
                    "%nclaim-service benchmark: %d claims, concurrency %d, %s keys, %d cores%n",
                    CLAIMS,
                    CONCURRENCY,
                    emulator.config().keyAlgorithm(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    "  raw CreateProvisioningClaim (SDK -> emulator): %8.1f claims/s  p50 %6.1f ms  p99 %6.1f ms%n",
                    rawResult.perSecond(), rawResult.p50(), rawResult.p99());
            System.out.printf(
                    "  POST /v1/claims (claim-service):            %8.1f claims/s  p50 %6.1f ms  p99 %6.1f ms%n",
                    serviceResult.perSecond(), serviceResult.p50(), serviceResult.p99());
            System.out.printf("  ratio service/raw: %.2f%n%n", serviceResult.perSecond() / rawResult.perSecond());
            assertThat(serviceResult.perSecond()).isPositive();
        }
    }

    record Result(double perSecond, double p50, double p99) {}

    private static Result run(Callable<Void> call, int count) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicInteger remaining = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                workers.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        long t = System.nanoTime();
                        call.call();
                        recorder.recordValue((System.nanoTime() - t) / 1000);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return new Result(count / seconds, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
    }
}
