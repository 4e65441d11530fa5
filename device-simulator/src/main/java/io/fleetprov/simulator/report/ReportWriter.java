package io.fleetprov.simulator.report;

import io.fleetprov.simulator.client.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's output directory: {@code summary.json}, {@code histograms/<phase>.hlog} (HdrHistogram interval
 * logs, microseconds, readable by HdrHistogram's own tools and by {@code simulate merge}),
 * {@code timeline.csv} (one row per second) and {@code report.html} (charts embedded, no network needed).
 */
public final class ReportWriter {

    public static final String SUMMARY = "summary.json";
    public static final String TIMELINE = "timeline.csv";
    public static final String HISTOGRAMS = "histograms";
    public static final String REPORT = "report.html";

    private ReportWriter() {}

    public static void write(Path dir, RunData run, SloResult slo) throws IOException {
        Files.createDirectories(dir.resolve(HISTOGRAMS));
        for (Phase phase : Phase.values()) {
            Files.writeString(
                    histogramLog(dir, phase), run.histogramLogs().getOrDefault(phase, ""), StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>();
        lines.add(TimelineRow.CSV_HEADER);
        run.timeline().forEach(row -> lines.add(row.toCsv()));
        Files.write(dir.resolve(TIMELINE), lines, StandardCharsets.UTF_8);
        SummaryJson.write(dir.resolve(SUMMARY), run, slo);
        Files.writeString(dir.resolve(REPORT), HtmlReport.render(run, slo), StandardCharsets.UTF_8);
    }

    public static Path histogramLog(Path dir, Phase phase) {
        return dir.resolve(HISTOGRAMS).resolve(phase.label() + ".hlog");
    }
}
