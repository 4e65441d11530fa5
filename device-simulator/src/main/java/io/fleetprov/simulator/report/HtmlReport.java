package io.fleetprov.simulator.report;

import io.fleetprov.simulator.client.Phase;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code report.html}: one self-contained page. Charts are drawn here with JFreeChart and embedded as PNG data,
 * so the report opens offline and in CI artefact viewers that run no JavaScript.
 */
final class HtmlReport {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private HtmlReport() {}

    static String render(RunData run, SloResult slo) {
        System.setProperty("java.awt.headless", "true");
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fleetprov simulation ")
                .append(esc(run.runId()))
                .append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:960px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
                .append(".pass{color:#080}.fail{color:#b00;font-weight:bold}</style></head><body>\n");
        html.append("<h1>fleetprov simulation <code>").append(esc(run.runId())).append("</code></h1>\n");
        html.append("<p>")
                .append(Instant.ofEpochMilli(run.startedAtMs()))
                .append(" – ")
                .append(Instant.ofEpochMilli(run.finishedAtMs()))
                .append(" (")
                .append(fmt(run.durationSeconds()))
                .append(" s)")
                .append(run.shardsMerged() > 1 ? ", " + run.shardsMerged() + " shards merged" : "")
                .append("</p>\n");
        html.append("<table><tr><th>requested</th><th>provisioned</th><th>failed</th><th>throttled attempts</th>")
                .append("<th>devices/s</th></tr><tr><td>")
                .append(run.requested())
                .append("</td><td>")
                .append(run.provisioned())
                .append("</td><td>")
                .append(run.failed())
                .append("</td><td>")
                .append(run.throttled())
                .append("</td><td>")
                .append(fmt(run.devicesPerSecond()))
                .append("</td></tr></table>\n");
        if (slo != null) {
            html.append("<h2>SLO <span class=\"")
                    .append(slo.passed() ? "pass\">met" : "fail\">missed")
                    .append("</span></h2><table><tr><th>check</th><th>actual</th><th>result</th></tr>");
            for (SloResult.Outcome o : slo.checks()) {
                html.append("<tr><td>")
                        .append(esc(o.check()))
                        .append("</td><td>")
                        .append(fmt(o.actual()))
                        .append("</td><td class=\"")
                        .append(o.passed() ? "pass\">pass" : "fail\">fail")
                        .append("</td></tr>");
            }
            html.append("</table>\n");
        }
        html.append("<h2>Latency per phase (ms)</h2><p>claim and total are measured from each device's intended ")
                .append("start, so queueing shows as latency.</p><table><tr><th>phase</th><th>count</th>")
                .append("<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>");
        for (Phase phase : Phase.values()) {
            PhaseStats s = PhaseStats.of(run.histogram(phase));
            html.append("<tr><td>")
                    .append(phase.label())
                    .append("</td><td>")
                    .append(s.count())
                    .append("</td><td>")
                    .append(fmt(s.p50Ms()))
                    .append("</td><td>")
                    .append(fmt(s.p90Ms()))
                    .append("</td><td>")
                    .append(fmt(s.p99Ms()))
                    .append("</td><td>")
                    .append(fmt(s.p999Ms()))
                    .append("</td><td>")
                    .append(fmt(s.maxMs()))
                    .append("</td><td>")
                    .append(fmt(s.meanMs()))
                    .append("</td></tr>");
        }
        html.append("</table>\n");
        html.append("<h2>Throughput over time</h2>").append(img(throughputChart(run)));
        html.append("<h2>Latency percentiles per phase</h2>").append(img(percentileChart(run)));
        html.append("<h2>Errors by code</h2>");
        if (run.failuresByCode().isEmpty()
                && run.throttledByPhase().isEmpty()
                && run.retriedAfter().isEmpty()) {
            html.append("<p>No failed devices, no throttling and no lost connections.</p>");
        } else {
            html.append(img(errorChart(run))).append("<table><tr><th>phase/errorCode</th><th>devices</th></tr>");
            run.failuresByCode()
                    .forEach((code, n) -> html.append("<tr><td>")
                            .append(esc(code))
                            .append("</td><td>")
                            .append(n)
                            .append("</td></tr>"));
            run.throttledByPhase()
                    .forEach((phase, n) -> html.append("<tr><td>throttled attempts, ")
                            .append(esc(phase))
                            .append(" (retried)</td><td>")
                            .append(n)
                            .append("</td></tr>"));
            run.retriedAfter()
                    .forEach((key, n) -> html.append("<tr><td>connection lost, ")
                            .append(esc(key))
                            .append(" (device reconnected and retried)</td><td>")
                            .append(n)
                            .append("</td></tr>"));
            html.append("</table>\n");
        }
        if (!run.slowestTraces().isEmpty()) {
            // The trace ids to open first: the slowest devices, each one trace from claim request to audit row.
            html.append("<h2>Slowest devices and their traces</h2><table><tr><th>serial number</th>")
                    .append("<th>total ms</th><th>trace id</th></tr>");
            run.slowestTraces()
                    .forEach(d -> html.append("<tr><td>")
                            .append(esc(d.serialNumber()))
                            .append("</td><td>")
                            .append(d.totalMs())
                            .append("</td><td><code>")
                            .append(esc(d.traceId()))
                            .append("</code></td></tr>"));
            html.append("</table>\n");
        }
        if (!run.faults().isEmpty()) {
            html.append("<h2>Fault injection: rejections received against expected</h2><table><tr><th>fault</th>")
                    .append("<th>expected</th><th>injected</th><th>as expected</th><th>observed</th></tr>");
            run.faults()
                    .forEach((mode, t) -> html.append("<tr><td>")
                            .append(esc(mode))
                            .append("</td><td>")
                            .append(esc(t.expected()))
                            .append("</td><td>")
                            .append(t.injected())
                            .append("</td><td class=\"")
                            .append(t.asExpected() == t.injected() ? "pass" : "fail")
                            .append("\">")
                            .append(t.asExpected())
                            .append("</td><td>")
                            .append(esc(t.observed().toString()))
                            .append("</td></tr>"));
            html.append("</table>\n");
        }
        html.append("<h2>Settings</h2><table>");
        new java.util.TreeMap<>(run.settings())
                .forEach((k, v) -> html.append("<tr><td>")
                        .append(esc(k))
                        .append("</td><td>")
                        .append(esc(String.valueOf(v)))
                        .append("</td></tr>"));
        html.append("</table>\n</body></html>\n");
        return html.toString();
    }

    private static JFreeChart throughputChart(RunData run) {
        XYSeries provisioned = new XYSeries("provisioned/s");
        XYSeries started = new XYSeries("started/s");
        XYSeries failed = new XYSeries("failed/s");
        XYSeries p99 = new XYSeries("p99 total (ms, right axis)");
        long first = run.timeline().isEmpty() ? 0 : run.timeline().get(0).epochSecond();
        for (TimelineRow row : run.timeline()) {
            long x = row.epochSecond() - first;
            provisioned.addOrUpdate(x, row.provisioned());
            started.addOrUpdate(x, row.started());
            failed.addOrUpdate(x, row.failed());
            if (!Double.isNaN(row.totalP99Ms())) {
                p99.addOrUpdate(x, row.totalP99Ms());
            }
        }
        XYSeriesCollection counts = new XYSeriesCollection();
        counts.addSeries(provisioned);
        counts.addSeries(started);
        counts.addSeries(failed);
        JFreeChart chart = ChartFactory.createXYLineChart(
                null,
                "seconds since start",
                "devices per second",
                counts,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        plot.setRangeAxis(1, new NumberAxis("p99 total latency (ms)"));
        plot.setDataset(1, new XYSeriesCollection(p99));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, false));
        plot.getRenderer(1).setSeriesPaint(0, Color.GRAY);
        plot.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** HdrHistogram's percentile plot: x is 1/(1-percentile) on a log axis, so the tail gets the room. */
    private static JFreeChart percentileChart(RunData run) {
        XYSeriesCollection curves = new XYSeriesCollection();
        for (Phase phase : Phase.values()) {
            Histogram h = run.histogram(phase);
            if (h.getTotalCount() == 0) {
                continue;
            }
            XYSeries series = new XYSeries(phase.label());
            for (HistogramIterationValue v : h.percentiles(5)) {
                double percentile = v.getPercentileLevelIteratedTo();
                if (percentile >= 100.0) {
                    break;
                }
                series.addOrUpdate(1.0 / (1.0 - percentile / 100.0), v.getValueIteratedTo() / 1000.0);
            }
            series.addOrUpdate(Math.max(2.0, Math.min(1e6, h.getTotalCount())), h.getMaxValue() / 1000.0);
            curves.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                null,
                "percentile as 1/(1-p): 2 = p50, 10 = p90, 100 = p99, 1000 = p99.9",
                "latency (ms)",
                curves,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        LogAxis x = new LogAxis("percentile as 1/(1-p): 2 = p50, 10 = p90, 100 = p99, 1000 = p99.9");
        x.setBase(10);
        x.setSmallestValue(1);
        chart.getXYPlot().setDomainAxis(x);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart errorChart(RunData run) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        run.failuresByCode().forEach((code, n) -> data.addValue(n, "failed devices", code));
        run.throttledByPhase().forEach((phase, n) -> data.addValue(n, "throttled attempts", phase + "/Throttling"));
        JFreeChart chart = ChartFactory.createBarChart(
                null, "phase/errorCode", "count", data, PlotOrientation.HORIZONTAL, true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String img(JFreeChart chart) {
        try {
            byte[] png = ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH, HEIGHT));
            return "<img alt=\"chart\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" src=\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png) + "\">\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }

    static String esc(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
