package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.cognito.UserDirectory;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotAsyncClient;

/**
 * Claims per second through claim-service (OIDC, quota, PostgreSQL, outbox, SDK call) next to the emulator's raw
 * CreateProvisioningClaim rate through the same SDK in the same run, with {@code benchmark.installers} installers
 * (each its own Cognito user and token) sharing {@code benchmark.concurrency} clients; then both paths at a fixed
 * arrival rate of half the service's measured rate (open loop: a request is sent when it is due, whether or not
 * earlier ones were answered, and its latency counts from then). It does so {@code benchmark.rounds} times, raw and
 * service alternately, and prints each round and the medians: one run of one build moved the ratio by a third. Run
 * it with
 * {@code ./mvnw -o -pl claim-service -am test -Dtest=ClaimBenchmark -Dbenchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@TestProfile(ClaimBenchmark.Unlimited.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClaimBenchmark {

    /** Claims per path in each closed-loop round. */
    private static final int CLAIMS = Integer.getInteger("benchmark.claims", 1000);
    /** Rounds of raw and service, one after the other; the README reports their medians. */
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

    private static final int INSTALLERS = Integer.getInteger("benchmark.installers", 50);
    private static final int CONCURRENCY = Integer.getInteger("benchmark.concurrency", INSTALLERS);
    /** Claims per path before the first round: with 300, the first round's raw path still cost 2-4x the third's. */
    private static final int WARMUP = Integer.getInteger("benchmark.warmup", 1000);
    /** How long the fixed-rate phase runs for each path. */
    private static final int PACED_SECONDS = Integer.getInteger("benchmark.paced-seconds", 8);
    /** The service's rate the issue asks for, as a share of the raw call's. */
    private static final double SERVICE_FLOOR = 0.8;

    /** Quotas and service-wide limits out of the way: this measures the service's own cost. */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No quota (0), as the local system runs: a quota of a million read each installer's whole last minute
            // of claims on every request.
            return Map.of(
                    "fleetprov.quota.claims-per-minute",
                    "0",
                    "fleetprov.quota.outstanding",
                    "0",
                    "fleetprov.aws.create-claim.rate-limit",
                    "1000000",
                    "fleetprov.aws.create-claim.bulkhead",
                    "64",
                    "fleetprov.claims.max-in-flight",
                    "64",
                    "quarkus.datasource.jdbc.max-size",
                    "72",
                    // The tests' 2 s would turn a queue at the emulator (a busy machine) into refusals.
                    "fleetprov.aws.call-deadline",
                    "PT30S",
                    "quarkus.log.category.\"io.fleetprov\".level",
                    "WARN");
        }
    }

    @InjectIotEmulator
    IotEmulator emulator;

    @Test
    void claimsPerSecondAgainstRawCreateProvisioningClaim() throws Exception {
        List<String> tokens = installerTokens();
        AtomicInteger next = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI claimsUri = URI.create("http://localhost:" + Tokens.config("quarkus.http.test-port") + "/v1/claims");
        // Each request is one installer's, round robin over all of them: concurrency is shared across installers.
        Supplier<CompletableFuture<?>> viaService = () -> {
            String token = tokens.get(Math.floorMod(next.getAndIncrement(), tokens.size()));
            HttpRequest request = HttpRequest.newBuilder(claimsUri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"serialNumber\":\"" + Claims.serial() + "\"}"))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() != 201) {
                    throw new IllegalStateException(
                            "POST /v1/claims answered " + response.statusCode() + ": " + response.body());
                }
                return response;
            });
        };
        try (IotAsyncClient iot = IotAsyncClient.builder()
                .endpointOverride(URI.create(Tokens.config("fleetprov.aws.endpoint-override")))
                .region(Region.US_EAST_1)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            Supplier<CompletableFuture<?>> raw =
                    () -> iot.createProvisioningClaim(r -> r.templateName(ClaimServiceEmulator.TEMPLATE));
            closedLoop(raw, WARMUP);
            closedLoop(viaService, WARMUP);
            System.out.printf(
                    "%nclaim-service benchmark: %d rounds of %d claims per path, %d installers, concurrency %d, %s keys,"
                            + " %d cores%n",
                    ROUNDS,
                    CLAIMS,
                    tokens.size(),
                    CONCURRENCY,
                    emulator.config().keyAlgorithm(),
                    Runtime.getRuntime().availableProcessors());
            // Raw and service alternate, round after round: a machine that gets busier or quieter during the run
            // moves both paths of a round alike, and the median of the rounds' ratios is what the README reports.
            List<Round> rounds = new ArrayList<>();
            for (int n = 1; n <= ROUNDS; n++) {
                Round round = round(raw, viaService);
                rounds.add(round);
                System.out.printf("  round %d of %d:%n", n, ROUNDS);
                round.print();
            }
            System.out.printf("  median of %d rounds:%n", ROUNDS);
            System.out.printf(
                    "    ratio service/raw %.2f (rounds: %s)%n",
                    median(rounds, Round::rateRatio), list(rounds, Round::rateRatio, "%.2f"));
            System.out.printf(
                    "    CPU per claim (ms) raw %.2f, service %.2f, ratio raw/service %.2f (rounds: %s)%n",
                    median(rounds, r -> r.rawCpu().total()),
                    median(rounds, r -> r.serviceCpu().total()),
                    median(rounds, Round::cpuRatio),
                    list(rounds, Round::cpuRatio, "%.2f"));
            // On a CPU-bound machine the rate ratio is the CPU ratio: the floor turned into what the service's path may
            // spend.
            double rawCpu = median(rounds, r -> r.rawCpu().total());
            System.out.printf(
                    "    %.1fx raw allows the service's path, the raw call included, %.2f ms of CPU per claim (raw %.2f /"
                            + " %.1f); its PostgreSQL alone spent %.2f%n",
                    SERVICE_FLOOR,
                    rawCpu / SERVICE_FLOOR,
                    rawCpu,
                    SERVICE_FLOOR,
                    median(rounds, r -> r.serviceCpu().postgres()));
            System.out.printf(
                    "    at half the service's rate: service p99 %.1f ms (rounds: %s), raw p99 %.1f ms (rounds: %s)%n",
                    median(rounds, r -> r.servicePaced().p99()),
                    list(rounds, r -> r.servicePaced().p99(), "%.1f"),
                    median(rounds, r -> r.rawPaced().p99()),
                    list(rounds, r -> r.rawPaced().p99(), "%.1f"));
            System.out.println();
            assertThat(rounds)
                    .allSatisfy(r -> assertThat(r.service().perSecond()).isPositive());
        }
    }

    /** One Cognito user (group installer) and access token per installer, signed in as the installer app does. */
    private List<String> installerTokens() {
        String authServer = Tokens.config("quarkus.oidc.auth-server-url");
        String poolId = authServer.substring(authServer.lastIndexOf('/') + 1);
        UserDirectory users = emulator.cognito().users();
        List<String> tokens = new ArrayList<>();
        for (int n = 1; n <= INSTALLERS; n++) {
            String name = "bench-installer-" + n;
            users.adminCreateUser(poolId, name, null, Map.of());
            users.adminSetUserPassword(poolId, name, ClaimServiceEmulator.PASSWORD, true);
            users.adminAddUserToGroup(poolId, name, "installer");
            tokens.add(Tokens.of(name));
        }
        return tokens;
    }

    /**
     * One round: both paths as fast as they go (closed loop), then both at a fixed half of this round's service rate.
     */
    private static Round round(Supplier<CompletableFuture<?>> raw, Supplier<CompletableFuture<?>> service)
            throws Exception {
        Cpu before = Cpu.now();
        Result rawResult = closedLoop(raw, CLAIMS);
        Cpu afterRaw = Cpu.now();
        Result serviceResult = closedLoop(service, CLAIMS);
        Cpu afterService = Cpu.now();
        double pacedRate = serviceResult.perSecond() / 2;
        Result rawPaced = openLoop(raw, pacedRate);
        Result servicePaced = openLoop(service, pacedRate);
        return new Round(
                rawResult,
                serviceResult,
                afterRaw.minus(before).perClaim(CLAIMS),
                afterService.minus(afterRaw).perClaim(CLAIMS),
                pacedRate,
                rawPaced,
                servicePaced);
    }

    record Round(
            Result raw,
            Result service,
            Cpu rawCpu,
            Cpu serviceCpu,
            double pacedRate,
            Result rawPaced,
            Result servicePaced) {

        double rateRatio() {
            return service.perSecond() / raw.perSecond();
        }

        double cpuRatio() {
            return rawCpu.total() / serviceCpu.total();
        }

        void print() {
            ClaimBenchmark.print("raw CreateProvisioningClaim (SDK -> emulator)", raw);
            ClaimBenchmark.print("POST /v1/claims (claim-service)", service);
            System.out.printf("    ratio service/raw: %.2f%n", rateRatio());
            System.out.printf(
                    "    CPU per claim (ms; this JVM = emulator + load generator + service, and PostgreSQL):%n"
                            + "      raw CreateProvisioningClaim                  JVM %6.2f  PostgreSQL %5.2f  total %6.2f%n"
                            + "      POST /v1/claims                              JVM %6.2f  PostgreSQL %5.2f  total %6.2f%n"
                            + "    ratio of CPU per claim raw/service: %.2f (the rate ratio a CPU-bound machine allows)%n",
                    rawCpu.jvm(),
                    rawCpu.postgres(),
                    rawCpu.total(),
                    serviceCpu.jvm(),
                    serviceCpu.postgres(),
                    serviceCpu.total(),
                    cpuRatio());
            System.out.printf(
                    "    at a fixed %.1f claims/s for %d s (open loop, half the service's rate):%n",
                    pacedRate, PACED_SECONDS);
            ClaimBenchmark.print("raw CreateProvisioningClaim (SDK -> emulator)", rawPaced);
            ClaimBenchmark.print("POST /v1/claims (claim-service)", servicePaced);
        }
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static String list(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value, String format) {
        return String.join(
                ", ",
                rounds.stream()
                        .map(r -> String.format(format, value.applyAsDouble(r)))
                        .toList());
    }

    record Result(double perSecond, double p50, double p99, long failed) {}

    /**
     * CPU milliseconds used so far (or per claim) by this JVM (emulator, load generator and service alike) and by
     * the test's PostgreSQL (its postmaster, living backends, and what ended backends left in its children's time),
     * from the kernel's accounting, which a busy machine distorts far less than it does rates.
     */
    record Cpu(double jvm, double postgres) {

        private static final double TICK_MS = 10.0; // USER_HZ 100

        static Cpu now() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Cpu(os.getProcessCpuTime() / 1e6, postgresMillis());
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(jvm - earlier.jvm, postgres - earlier.postgres);
        }

        Cpu perClaim(int claims) {
            return new Cpu(jvm / claims, postgres / claims);
        }

        double total() {
            return jvm + postgres;
        }

        /** The postmaster is the process started with {@code -p <the test database's port>}. */
        private static double postgresMillis() {
            String url = Tokens.config("quarkus.datasource.jdbc.url");
            String port = url.replaceAll("^jdbc:postgresql://[^:/]+:([0-9]+)/.*$", "$1");
            Map<Long, long[]> stats = new java.util.HashMap<>();
            long postmaster = -1;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(proc.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // ppid, utime + stime, cutime + cstime
                        stats.put(Long.parseLong(name), new long[] {
                            Long.parseLong(f[1]),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]),
                            Long.parseLong(f[13]) + Long.parseLong(f[14])
                        });
                        List<String> args = List.of(
                                Files.readString(proc.resolve("cmdline")).split("\0"));
                        int p = args.indexOf("-p");
                        if (args.get(0).endsWith("/postgres")
                                && p > 0
                                && p + 1 < args.size()
                                && args.get(p + 1).equals(port)) {
                            postmaster = Long.parseLong(name);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the process ended meanwhile
                    }
                }
            } catch (IOException e) {
                return Double.NaN;
            }
            if (postmaster < 0 || !stats.containsKey(postmaster)) {
                return Double.NaN;
            }
            long ticks = stats.get(postmaster)[1] + stats.get(postmaster)[2];
            for (long[] s : stats.values()) {
                if (s[0] == postmaster) {
                    ticks += s[1] + s[2];
                }
            }
            return ticks * TICK_MS;
        }
    }

    private static void print(String path, Result r) {
        System.out.printf(
                "      %-46s %8.1f claims/s  p50 %7.1f ms  p99 %7.1f ms%s%n",
                path, r.perSecond(), r.p50(), r.p99(), r.failed() == 0 ? "" : "  FAILED " + r.failed());
    }

    /** {@code count} calls, {@link #CONCURRENCY} at a time, each sent as soon as one before it was answered. */
    private static Result closedLoop(Supplier<CompletableFuture<?>> call, int count) throws Exception {
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
                        call.get().join();
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
        return new Result(count / seconds, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, 0);
    }

    /**
     * Calls at a fixed arrival rate for {@link #PACED_SECONDS}: each is sent when it is due, however many are still
     * unanswered, and its latency counts from when it was due, so a stall shows in the percentiles instead of slowing
     * the load down.
     */
    private static Result openLoop(Supplier<CompletableFuture<?>> call, double perSecond) throws Exception {
        Histogram h = new Histogram(3);
        int count = (int) Math.max(1, Math.round(perSecond * PACED_SECONDS));
        long interval = (long) (1e9 / perSecond);
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<?>> calls = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            calls.add(call.get().handle((ok, failure) -> {
                if (failure != null) {
                    failed.incrementAndGet();
                }
                long micros = (System.nanoTime() - due) / 1000;
                synchronized (h) {
                    h.recordValue(micros);
                }
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (h) {
            return new Result(
                    count / seconds,
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    failed.get());
        }
    }
}
