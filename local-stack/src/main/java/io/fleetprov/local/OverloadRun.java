package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One fixed-rate {@code simulate run} at twice a flow's ceiling, after its search: overload must be shed as
 * retryable refusals (the simulator's "throttled"), never as failed devices, and the broker, which runs in this JVM,
 * must log no fault meanwhile.
 */
final class OverloadRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the run at {@code offeredRate} got; {@code brokerFaults} are the broker's warnings with a stack trace. */
    record Result(
            double offeredRate,
            String duration,
            long started,
            long provisioned,
            long failed,
            Map<String, Long> failedByErrorCode,
            long throttled,
            double p99TotalMs,
            long brokerFaults,
            List<String> firstBrokerFaults) {}

    /** The overload factor the issue asks zero failed devices for. */
    static final double FACTOR = 2.0;

    private OverloadRun() {}

    /**
     * @param command the simulator's {@code run} command with the flow's target options, without rate, duration and
     *     output
     */
    static Result run(
            String label, List<String> command, Map<String, String> environment, double rate, String duration, Path out)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        List<String> full = new ArrayList<>(command);
        full.addAll(
                List.of("--rate", Double.toString(rate), "--duration", duration, "--out", out.toString(), "--plain"));
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("simulator.log").toFile());
        builder.environment().putAll(environment);
        BrokerFaults faults = BrokerFaults.install();
        int exit;
        try {
            exit = builder.start().waitFor();
        } finally {
            faults.uninstall();
        }
        Path summary = out.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            throw new IllegalStateException(label + ": the overload run (exit " + exit + ") wrote no " + summary
                    + "; see " + out.resolve("simulator.log"));
        }
        return of(JSON.readTree(summary.toFile()), rate, duration, faults);
    }

    static Result of(JsonNode summary, double rate, String duration, BrokerFaults faults) {
        Map<String, Long> byCode = new TreeMap<>();
        summary.path("failedByErrorCode")
                .properties()
                .forEach(e -> byCode.put(e.getKey(), e.getValue().asLong()));
        return new Result(
                rate,
                duration,
                summary.path("started").asLong(),
                summary.path("provisioned").asLong(),
                summary.path("failed").asLong(),
                byCode,
                summary.path("throttled").path("total").asLong(),
                summary.path("phases").path("total").path("p99Ms").asDouble(Double.NaN),
                faults.count(),
                faults.first());
    }

    /**
     * Counts what the embedded broker logs at WARNING or above with an exception attached (a session-loop failure
     * such as {@code IllegalReferenceCountException} is logged so), while installed on the root logger.
     */
    static final class BrokerFaults extends Handler {
        private static final List<String> BROKER_LOGGERS =
                List.of("io.moquette", "io.fleetprov.emulator.broker", "io.fleetprov.moquette");
        private static final int KEEP = 5;

        private long count;
        private final List<String> first = new ArrayList<>();

        static BrokerFaults install() {
            BrokerFaults faults = new BrokerFaults();
            Logger.getLogger("").addHandler(faults);
            return faults;
        }

        void uninstall() {
            Logger.getLogger("").removeHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            String logger = record.getLoggerName();
            if (record.getLevel().intValue() < Level.WARNING.intValue()
                    || record.getThrown() == null
                    || logger == null
                    || BROKER_LOGGERS.stream().noneMatch(logger::startsWith)) {
                return;
            }
            count++;
            if (first.size() < KEEP) {
                first.add(logger + ": " + record.getMessage() + ": " + record.getThrown());
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized List<String> first() {
            return List.copyOf(first);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
