package io.fleetprov.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-provisioning hook's latency as claim-service itself measured it: claim-service has no histogram for
 * the hook (its {@code /q/metrics} has a count, a sum and a max per URI), so the bench turns on Quarkus's access
 * log for the hook's path only, one line per call, {@code <ms> <status> <path>}, where {@code ms} is the time
 * from the request's arrival to its response's end.
 */
final class HookLatency {

    static final String FILE_NAME = "claim-service-hooks";

    /** Count, p50, p99 and max in ms of the calls logged; zero count when none were. */
    record Stats(int count, long p50Ms, long p99Ms, long maxMs) {}

    private HookLatency() {}

    /** claim-service properties that log each hook call (and nothing else) to {@code dir/claim-service-hooks.log}. */
    static Map<String, String> accessLogProperties(Path dir) {
        return Map.of(
                "quarkus.http.record-request-start-time", "true",
                "quarkus.http.access-log.enabled", "true",
                "quarkus.http.access-log.pattern", "%D %s %U",
                "quarkus.http.access-log.exclude-pattern", "^(?!/v1/hooks/).*",
                "quarkus.http.access-log.log-to-file", "true",
                "quarkus.http.access-log.log-directory", dir.toString(),
                "quarkus.http.access-log.base-file-name", FILE_NAME,
                "quarkus.http.access-log.rotate", "false");
    }

    static Path file(Path dir) {
        return dir.resolve(FILE_NAME + ".log");
    }

    static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The calls logged between two sizes of the file. */
    static Stats between(Path file, long from, long to) throws IOException {
        if (to <= from || !Files.isRegularFile(file)) {
            return new Stats(0, 0, 0, 0);
        }
        byte[] bytes = new byte[(int) (to - from)];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(from);
            raf.readFully(bytes);
        }
        return of(new String(bytes, StandardCharsets.UTF_8).lines().toList());
    }

    static Stats of(List<String> lines) {
        List<Long> ms = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].startsWith("/v1/hooks/") && f[0].chars().allMatch(Character::isDigit)) {
                ms.add(Long.parseLong(f[0]));
            }
        }
        if (ms.isEmpty()) {
            return new Stats(0, 0, 0, 0);
        }
        long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stats(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
