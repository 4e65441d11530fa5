package io.fleetprov.simulator.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a ceiling search steps its rate up. */
public class CeilingOptions {

    static final String DEFAULT_FACTOR = "1.5";
    static final String DEFAULT_STEP = "30s";
    static final String DEFAULT_MAX_RATE = "1000";

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
            description = "Highest rate a ceiling search tries. Default: ${DEFAULT-VALUE}.")
    double maxRate;

    static CeilingOptions of(double factor, Duration step, double maxRate) {
        CeilingOptions options = new CeilingOptions();
        options.factor = factor;
        options.step = step;
        options.maxRate = maxRate;
        return options;
    }
}
