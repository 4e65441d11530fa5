package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CPU per call of the trusted-user flow's two HTTP paths into claim-service, caller and service together, over HTTP/2
 * and over HTTP/1.1 with keep-alive, {@code benchmark.hook-calls} (resp. {@code benchmark.https-claims}) calls per
 * line from {@code benchmark.hook-concurrency} threads, after {@code benchmark.warmup} calls:
 * <ul>
 *   <li>the pre-provisioning hook with the JDK {@code HttpClient} the emulator's {@code PreProvisioningHookClient}
 *       uses (its default is HTTP/2, over http:// an h2c upgrade); every call is a hook decision (an unknown claim:
 *       denied, its HookDecision event written), the same work on both lines;
 *   <li>{@code POST /v1/claims} over HTTPS with the Vert.x client on OpenSSL as the simulator's
 *       {@code TrustedUserClaimSource} builds it (HTTP/2 by ALPN, or an HTTP/1.1 keep-alive pool).
 * </ul>
 * HTTP/2 is measured first unless {@code -Dbenchmark.http11-first=true}: the second line of a run tends to be the
 * cheaper one, so compare both orders.
 * Run it with {@code ./mvnw -o -pl claim-service -am test -Dtest=TrustedProtocolBenchmark -Dbenchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@TestProfile(ClaimBenchmark.Unlimited.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class TrustedProtocolBenchmark {

    private static final int CALLS = Integer.getInteger("benchmark.hook-calls", 3000);
    private static final int CONCURRENCY = Integer.getInteger("benchmark.hook-concurrency", 8);
    private static final int WARMUP = Integer.getInteger("benchmark.warmup", 300);
    private static final int HTTPS_CLAIMS = Integer.getInteger("benchmark.https-claims", 1000);
    /** Measures HTTP/1.1 before HTTP/2 (default: HTTP/2 first), to see what the order itself does. */
    private static final boolean HTTP11_FIRST = Boolean.getBoolean("benchmark.http11-first");

    @Test
    void cpuPerHookCallByProtocol() throws Exception {
        URI hook = URI.create(
                "http://localhost:" + Tokens.config("quarkus.http.test-port") + "/v1/hooks/pre-provisioning");
        HttpClient http2 =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient http11 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String secret = Claims.hookSecret();
        compare(
                "hook call",
                "caller + claim-service",
                "JDK HttpClient default (HTTP/2)",
                "JDK HttpClient HTTP/1.1        ",
                CALLS,
                (h11, count) -> concurrently(count, () -> {
                    HttpResponse<byte[]> response =
                            (h11 ? http11 : http2).send(request(hook, secret), HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("the hook answered " + response.statusCode());
                    }
                    return response.version().name();
                }));
    }

    @Test
    void cpuPerHttpsClaimByProtocol() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient http2 = vertxClient(vertx, true);
            io.vertx.core.http.HttpClient http11 = vertxClient(vertx, false);
            List<String> tokens = new ArrayList<>();
            for (int n = 1; n <= CONCURRENCY; n++) {
                tokens.add(Tokens.of("installer-" + n));
            }
            String uri = "https://localhost:" + Tokens.config("fleetprov-test.https-port") + "/v1/claims";
            AtomicInteger next = new AtomicInteger();
            compare(
                    "HTTPS claim",
                    "caller + claim-service + emulator",
                    "Vert.x client on OpenSSL, HTTP/2 (ALPN)",
                    "Vert.x client on OpenSSL, HTTP/1.1     ",
                    HTTPS_CLAIMS,
                    (h11, count) -> concurrently(count, () -> {
                        // Round robin over the installers, so no installer's quota lock serialises the line.
                        String token = tokens.get(Math.floorMod(next.getAndIncrement(), tokens.size()));
                        RequestOptions request = new RequestOptions()
                                .setMethod(HttpMethod.POST)
                                .setAbsoluteURI(uri)
                                .putHeader("Content-Type", "application/json")
                                .putHeader("Authorization", "Bearer " + token);
                        String body = "{\"serialNumber\":\"" + Claims.serial() + "\"}";
                        String[] version = new String[1];
                        int status = (h11 ? http11 : http2)
                                .request(request)
                                .compose(sent -> sent.send(body).compose(response -> {
                                    version[0] = response.version().name();
                                    return response.body().map(b -> response.statusCode());
                                }))
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get();
                        if (status != 201) {
                            throw new IllegalStateException("POST /v1/claims answered " + status);
                        }
                        return version[0];
                    }));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** One line of a comparison: {@code count} calls over HTTP/1.1 or HTTP/2; the protocol versions answered. */
    @FunctionalInterface
    private interface Line {
        Map<String, Integer> run(boolean http11, int count) throws Exception;
    }

    /** One call; the protocol version its answer came in. */
    @FunctionalInterface
    private interface Call {
        String call() throws Exception;
    }

    /**
     * Warms both lines up, measures them in the configured order and prints CPU per call of this JVM (which holds
     * {@code inJvm}) and of PostgreSQL, and their ratio.
     */
    private static void compare(String what, String inJvm, String label2, String label11, int count, Line line)
            throws Exception {
        line.run(false, WARMUP);
        line.run(true, WARMUP);
        Map<String, Integer> versions2 = Map.of();
        Map<String, Integer> versions11 = Map.of();
        ClaimBenchmark.Cpu cpu2 = null;
        ClaimBenchmark.Cpu cpu11 = null;
        for (boolean second : List.of(false, true)) {
            boolean h11 = second != HTTP11_FIRST;
            ClaimBenchmark.Cpu start = ClaimBenchmark.Cpu.now();
            Map<String, Integer> versions = line.run(h11, count);
            ClaimBenchmark.Cpu cpu = ClaimBenchmark.Cpu.now().minus(start).perClaim(count);
            if (h11) {
                cpu11 = cpu;
                versions11 = versions;
            } else {
                cpu2 = cpu;
                versions2 = versions;
            }
        }
        System.out.printf(
                "%n%s benchmark: %d calls per line, %d threads, %d cores%n"
                        + "  CPU per %s (ms; this JVM = %s, and PostgreSQL):%n"
                        + "    %s %-14s JVM %6.2f  PostgreSQL %5.2f  total %6.2f%n"
                        + "    %s %-14s JVM %6.2f  PostgreSQL %5.2f  total %6.2f%n"
                        + "  ratio of JVM CPU per %s HTTP/1.1 / HTTP/2: %.2f%n%n",
                what,
                count,
                CONCURRENCY,
                Runtime.getRuntime().availableProcessors(),
                what,
                inJvm,
                label2,
                versions2,
                cpu2.jvm(),
                cpu2.postgres(),
                cpu2.total(),
                label11,
                versions11,
                cpu11.jvm(),
                cpu11.postgres(),
                cpu11.total(),
                what,
                cpu11.jvm() / cpu2.jvm());
        assertThat(versions11).containsOnlyKeys("HTTP_1_1");
    }

    /** {@code count} calls, {@link #CONCURRENCY} at a time; how many answers came in each protocol version. */
    private static Map<String, Integer> concurrently(int count, Call call) throws Exception {
        AtomicInteger remaining = new AtomicInteger(count);
        Map<String, Integer> versions = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                workers.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        versions.merge(call.call(), 1, Integer::sum);
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
        return versions;
    }

    /** As {@code TrustedUserClaimSource} builds its client for an https:// claim-service. */
    private static io.vertx.core.http.HttpClient vertxClient(Vertx vertx, boolean http2) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(5000)
                .setKeepAlive(true)
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(Tokens.config("fleetprov-test.https-ca-file")))
                .setSslEngineOptions(new OpenSSLEngineOptions());
        if (http2) {
            options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
        }
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(32));
    }

    /** An AWS-shaped hook payload for a claim nobody issued: decided (denied) and recorded like any other. */
    private static HttpRequest request(URI hook, String secret) {
        String claim = UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        String device = UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        String serial = Claims.serial();
        String body = "{\"claimCertificateId\":\"" + claim + "\",\"certificateId\":\"" + device
                + "\",\"certificatePem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\""
                + ",\"templateArn\":\"arn:aws:iot:us-east-1:123456789012:provisioningtemplate/"
                + ClaimServiceEmulator.TEMPLATE + "\",\"clientId\":\"device-" + serial
                + "\",\"parameters\":{\"SerialNumber\":\"" + serial + "\"}}";
        return HttpRequest.newBuilder(hook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(ClaimServiceEmulator.HOOK_HEADER, secret)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
