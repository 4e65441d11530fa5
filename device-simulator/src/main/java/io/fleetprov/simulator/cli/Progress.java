package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.load.RunMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Live progress: a progress bar when a person watches a terminal, plain lines every few seconds otherwise (CI
 * logs, Kubernetes pods), so logs stay readable.
 */
final class Progress implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "simulator-progress");
        thread.setDaemon(true);
        return thread;
    });
    private final long startedAt = System.currentTimeMillis();
    private ProgressBar bar;

    Progress(RunMetrics metrics, long total, boolean terminal, PrintStream out) {
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("devices")
                    .setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .continuousUpdate()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                    .build();
            scheduler.scheduleAtFixedRate(
                    () -> {
                        RunMetrics.Snapshot s = metrics.snapshot();
                        bar.stepTo(s.provisioned() + s.failed());
                        bar.setExtraMessage(extra(s));
                    },
                    500,
                    500,
                    TimeUnit.MILLISECONDS);
        } else {
            scheduler.scheduleAtFixedRate(() -> out.println(line(metrics.snapshot())), 5, 5, TimeUnit.SECONDS);
        }
    }

    private String line(RunMetrics.Snapshot s) {
        long elapsed = (System.currentTimeMillis() - startedAt) / 1000;
        return String.format(
                Locale.ROOT,
                "[%4ds] started %d, provisioned %d, failed %d, throttled %d, in flight %d,"
                        + " %.1f devices/s, p99 total %s",
                elapsed,
                s.started(),
                s.provisioned(),
                s.failed(),
                s.throttled(),
                s.inFlight(),
                elapsed == 0 ? 0.0 : (double) s.provisioned() / elapsed,
                p99(s));
    }

    private String extra(RunMetrics.Snapshot s) {
        long elapsed = Math.max(1, (System.currentTimeMillis() - startedAt) / 1000);
        return String.format(
                Locale.ROOT,
                "%.1f/s, errors %d, throttled %d, p99 %s",
                (double) s.provisioned() / elapsed,
                s.failed(),
                s.throttled(),
                p99(s));
    }

    private static String p99(RunMetrics.Snapshot s) {
        return Double.isNaN(s.totalP99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f ms", s.totalP99Ms());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (bar != null) {
            bar.close();
        }
    }
}
