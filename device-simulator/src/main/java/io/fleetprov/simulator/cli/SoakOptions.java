package io.fleetprov.simulator.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a soak keeps the run's devices connected, and how often they publish. */
public class SoakOptions {

    static final String DEFAULT_RATE = "100";

    @Option(
            names = "--soak-duration",
            required = true,
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long every provisioned device stays connected with its own certificate, publishing.")
    Duration duration;

    @Option(
            names = "--soak-rate",
            defaultValue = DEFAULT_RATE,
            paramLabel = "MSGS/S",
            description = "Publishes per second across all soaking devices (QoS 1, devices take turns). "
                    + "Default: ${DEFAULT-VALUE}.")
    double rate;

    static SoakOptions of(Duration duration, double rate) {
        SoakOptions options = new SoakOptions();
        options.duration = duration;
        options.rate = rate;
        return options;
    }
}
