package io.fleetprov.simulator.report;

import io.fleetprov.simulator.client.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service-level objectives a run must meet, e.g. {@code p99.total<=2s,errors<=0.1%,rate>=50}. Checks:
 * {@code <stat>.<phase>} with stat p50, p90, p99, p99.9, max or mean and a duration in ms or s;
 * {@code errors} as a percentage of finished devices or an absolute count; {@code rate} in devices/s;
 * {@code throttled} as a count. Operators {@code <=}, {@code <}, {@code >=}, {@code >}.
 */
public record Slo(String expression, List<Check> checks) {

    private static final Pattern CHECK =
            Pattern.compile("\\s*([a-z0-9.\\-]+)\\s*(<=|>=|<|>)\\s*([0-9.]+)\\s*(ms|s|%|/s)?\\s*");

    public record Check(String text, String metric, String operator, double threshold) {

        boolean passes(double actual) {
            return switch (operator) {
                case "<=" -> actual <= threshold;
                case "<" -> actual < threshold;
                case ">=" -> actual >= threshold;
                case ">" -> actual > threshold;
                default -> throw new IllegalStateException(operator);
            };
        }
    }

    public static Slo parse(String expression) {
        List<Check> checks = new ArrayList<>();
        for (String part : expression.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = CHECK.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read SLO check '" + part.trim()
                        + "' (examples: p99.total<=2s, p50.claim<300ms, errors<=0.1%, errors<=0, rate>=50)");
            }
            String metric = m.group(1);
            String unit = m.group(4) == null ? "" : m.group(4);
            double value = Double.parseDouble(m.group(3));
            if (metric.equals("errors")) {
                metric = unit.equals("%") ? "errors%" : "errors";
            } else if (metric.equals("rate") || metric.equals("throttled")) {
                // plain numbers
            } else {
                int dot = metric.indexOf('.', metric.startsWith("p99.9") ? 5 : 0);
                if (dot < 0) {
                    throw new IllegalArgumentException("SLO check '" + part.trim() + "' needs <stat>.<phase>");
                }
                Phase.fromLabel(metric.substring(dot + 1));
                PhaseStats.of(new org.HdrHistogram.Histogram(3)).byName(metric.substring(0, dot));
                if (unit.equals("s")) {
                    value *= 1000;
                } else if (!unit.equals("ms")) {
                    throw new IllegalArgumentException("SLO check '" + part.trim() + "' needs a unit: ms or s");
                }
            }
            checks.add(new Check(part.trim(), metric, m.group(2), value));
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("empty SLO");
        }
        return new Slo(expression, List.copyOf(checks));
    }

    public SloResult evaluate(RunData run) {
        List<SloResult.Outcome> outcomes = new ArrayList<>();
        for (Check check : checks) {
            double actual = actual(check.metric(), run);
            outcomes.add(new SloResult.Outcome(check.text(), actual, check.passes(actual)));
        }
        return new SloResult(expression, outcomes.stream().allMatch(SloResult.Outcome::passed), outcomes);
    }

    private static double actual(String metric, RunData run) {
        return switch (metric) {
            case "errors%" -> run.errorRate() * 100;
            case "errors" -> run.failed();
            case "rate" -> run.devicesPerSecond();
            case "throttled" -> run.throttled();
            default -> {
                int dot = metric.indexOf('.', metric.startsWith("p99.9") ? 5 : 0);
                yield PhaseStats.of(run.histogram(Phase.fromLabel(metric.substring(dot + 1))))
                        .byName(metric.substring(0, dot));
            }
        };
    }
}
