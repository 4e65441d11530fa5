package io.fleetprov.simulator.load;

import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import io.fleetprov.simulator.report.SloResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * Ceiling discovery: runs steps at rising arrival rates (each rate {@code factor} times the last) until a step
 * misses the SLO or is throttled, or {@code maxRate} is passed (or, when the first step misses, at falling rates
 * until one holds). Then, up to {@code refineSteps} times, a step at the geometric midpoint between the highest rate
 * that held and the lowest that did not narrows that bracket: with factor 1.5 the rising steps alone can report a
 * ceiling a third below the real one. The highest sustainable rate is that of the highest step that met the SLO
 * without any throttling; for each API, the lowest rate of a step where it was throttled is where its throttling
 * began.
 */
public final class CeilingFinder {

    /** One step: the rate offered, what it achieved, and why it passed or not. */
    public record Step(double offeredRate, RunData run, SloResult slo, Map<String, Long> throttledByApi) {

        public boolean sustainable() {
            return slo.passed() && throttledByApi.isEmpty();
        }
    }

    /** @param throttlingBeganAt API → the offered rate of the first step where it was throttled */
    public record Result(
            List<Step> steps, Double sustainableRate, Map<String, Double> throttlingBeganAt, String stoppedBecause) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("highestSustainableRate", sustainableRate);
            m.put("throttlingBeganAt", throttlingBeganAt);
            m.put("stoppedBecause", stoppedBecause);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Step step : steps) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("offeredRate", step.offeredRate());
                row.put("devicesPerSecond", Math.round(step.run().devicesPerSecond() * 100) / 100.0);
                row.put("provisioned", step.run().provisioned());
                row.put("failed", step.run().failed());
                row.put("failedByErrorCode", step.run().failuresByCode());
                row.put(
                        "p99TotalMs",
                        step.run()
                                        .histogram(io.fleetprov.simulator.client.Phase.TOTAL)
                                        .getValueAtPercentile(99)
                                / 1000.0);
                row.put("throttledByApi", step.throttledByApi());
                row.put("sloPassed", step.slo().passed());
                row.put("sustainable", step.sustainable());
                rows.add(row);
            }
            m.put("steps", rows);
            return m;
        }
    }

    private static final int MAX_STEPS_DOWN = 4;
    private static final double MIN_RATE = 0.5;

    private final Slo slo;
    private final double startRate;
    private final double factor;
    private final double maxRate;
    private final int refineSteps;
    private final Map<String, String> apiByPhase;

    /**
     * @param refineSteps steps spent narrowing the bracket around the ceiling once the rising (or falling) steps
     *     found one; 0 reports the last rising step that held
     * @param apiByPhase phase label → the API it calls, e.g. register-thing → RegisterThing
     */
    public CeilingFinder(
            Slo slo, double startRate, double factor, double maxRate, int refineSteps, Map<String, String> apiByPhase) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("the step factor must be above 1");
        }
        if (refineSteps < 0) {
            throw new IllegalArgumentException("the refinement steps must not be negative");
        }
        this.slo = slo;
        this.startRate = startRate;
        this.factor = factor;
        this.maxRate = maxRate;
        this.refineSteps = refineSteps;
        this.apiByPhase = Map.copyOf(apiByPhase);
    }

    /**
     * {@code runAt} runs one step at the given rate; {@code onStep} hears about each as it ends. When the first step
     * already misses, the search steps down (each rate the last divided by the factor, at most
     * {@value #MAX_STEPS_DOWN} times) to the first rate that holds, so a start above the ceiling still finds one.
     */
    public Result find(DoubleFunction<RunData> runAt, Consumer<Step> onStep) {
        List<Step> steps = new ArrayList<>();
        Map<String, Double> throttlingBegan = new LinkedHashMap<>();
        Double sustainable = null;
        String stopped = "reached the maximum rate";
        String firstMiss = null;
        double rate = startRate;
        while (rate <= maxRate * 1.000001) {
            Step step = step(rate, runAt, onStep, steps, throttlingBegan);
            if (step.sustainable()) {
                sustainable = rate;
                if (firstMiss != null) {
                    // Stepping down: the step above this one already missed.
                    stopped = firstMiss + "; stepping down, " + rate + " devices/s held";
                    break;
                }
                if (rate >= maxRate) {
                    break;
                }
                // The maximum itself is the last rising step when the next one would pass it.
                rate = Math.min(next(rate), maxRate);
                continue;
            }
            String why = !step.slo().passed() ? "SLO missed" : "throttled";
            String miss = why + " at " + rate + " devices/s";
            if (sustainable == null && steps.size() <= MAX_STEPS_DOWN && lower(rate) >= MIN_RATE) {
                firstMiss = firstMiss == null ? miss : firstMiss;
                rate = lower(rate);
                continue;
            }
            stopped = firstMiss == null
                    ? miss
                    : firstMiss + "; stepping down, " + why + " still at " + rate + " devices/s";
            break;
        }
        Double missed = lowestMissAbove(steps, sustainable);
        if (sustainable != null && missed != null && refineSteps > 0) {
            double held = sustainable;
            double above = missed;
            for (int i = 0; i < refineSteps; i++) {
                double middle = round(Math.sqrt(held * above));
                if (middle <= held || middle >= above) {
                    break;
                }
                if (step(middle, runAt, onStep, steps, throttlingBegan).sustainable()) {
                    held = middle;
                } else {
                    above = middle;
                }
            }
            sustainable = held;
            stopped += "; refined: " + held + " devices/s held, " + above + " did not";
        }
        return new Result(steps, sustainable, throttlingBegan, stopped);
    }

    private Step step(
            double rate,
            DoubleFunction<RunData> runAt,
            Consumer<Step> onStep,
            List<Step> steps,
            Map<String, Double> throttlingBegan) {
        RunData run = runAt.apply(rate);
        Map<String, Long> throttled = new LinkedHashMap<>();
        run.throttledByPhase().forEach((phase, count) -> {
            if (count > 0) {
                throttled.put(apiByPhase.getOrDefault(phase, phase), count);
            }
        });
        Step step = new Step(rate, run, slo.evaluate(run), throttled);
        steps.add(step);
        onStep.accept(step);
        for (String api : throttled.keySet()) {
            throttlingBegan.merge(api, rate, Math::min);
        }
        return step;
    }

    /** The lowest rate above {@code held} whose step did not hold, if any. */
    private static Double lowestMissAbove(List<Step> steps, Double held) {
        if (held == null) {
            return null;
        }
        return steps.stream()
                .filter(s -> !s.sustainable() && s.offeredRate() > held)
                .map(Step::offeredRate)
                .min(Double::compare)
                .orElse(null);
    }

    private double lower(double rate) {
        return round(rate / factor);
    }

    private double next(double rate) {
        return round(rate * factor);
    }

    /** Whole devices/s above 10, so step names and rates stay readable. */
    private static double round(double rate) {
        return rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10.0;
    }
}
