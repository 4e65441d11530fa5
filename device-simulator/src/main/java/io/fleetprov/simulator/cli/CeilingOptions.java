package io.fleetprov.simulator.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a ceiling search steps its rate up. */
public class CeilingOptions {

    static final String DEFAULT_FACTOR = "1.5";
    static final String DEFAULT_STEP = "30s";
    static final String DEFAULT_MAX_RATE = "1000";
    static final String DEFAULT_REFINE = "2";

    @Option(
            names = "--ceiling-factor",
            defaultValue = DEFAULT_FACTOR,
            description = "Rate multiplier between ceiling steps. Default: ${DEFAULT-VALUE}.")
    double factor;

    @Option(
            names = "--ceiling-step",
            defaultValue = DEFAULT_STEP,
            converter = DurationConverter.class,
            description =
                    "Arrivals per ceiling step last this long (devices = rate x step). Default: ${DEFAULT-VALUE}.")
    Duration step;

    @Option(
            names = "--ceiling-max-rate",
            defaultValue = DEFAULT_MAX_RATE,
            paramLabel = "DEVICES/S",
            description = "Highest rate a ceiling search tries (itself, when the next step would pass it). Default: "
                    + "${DEFAULT-VALUE}.")
    double maxRate;

    @Option(
            names = "--ceiling-refine",
            defaultValue = DEFAULT_REFINE,
            paramLabel = "STEPS",
            description = "Once a step misses above one that held, this many more steps at the geometric midpoint of "
                    + "the two narrow the ceiling down (0: report the last rising step that held). "
                    + "Default: ${DEFAULT-VALUE}.")
    int refineSteps;

    @Option(
            names = "--ceiling-warmup",
            defaultValue = "0",
            paramLabel = "DEVICES",
            description = "Before the first step, provision this many devices at half of --rate, not counted, so that "
                    + "every JVM on the path is warm when the steps are measured. Default: ${DEFAULT-VALUE}.")
    long warmupDevices;

    @Option(
            names = "--ceiling-warmup-rate",
            paramLabel = "DEVICES/S",
            description = "Rate of the warm-up. Default: half of --rate. The JIT compilers finish a method only after"
                    + " thousands of calls, so a warm-up of too few devices leaves them compiling in the first steps.")
    Double warmupRate;

    static CeilingOptions of(double factor, Duration step, double maxRate, int refineSteps) {
        CeilingOptions options = new CeilingOptions();
        options.factor = factor;
        options.step = step;
        options.maxRate = maxRate;
        options.refineSteps = refineSteps;
        return options;
    }
}
