package io.fleetprov.simulator.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The run-mode flags of bare {@code simulate} from before it had subcommands ({@code --soak D},
 * {@code --find-ceiling}); scripts, Helm values ({@code simulator.extraArgs}) and benchmark notes still pass them,
 * so they keep working, hidden from the help, which shows the subcommands instead.
 */
public class LegacyModeFlags {

    @Option(names = "--soak", hidden = true, converter = DurationConverter.class)
    Duration soak;

    @Option(names = "--soak-rate", hidden = true, defaultValue = SoakOptions.DEFAULT_RATE)
    double soakRate;

    @Option(names = "--find-ceiling", hidden = true)
    boolean findCeiling;

    @Option(names = "--ceiling-factor", hidden = true, defaultValue = CeilingOptions.DEFAULT_FACTOR)
    double ceilingFactor;

    @Option(
            names = "--ceiling-step",
            hidden = true,
            defaultValue = CeilingOptions.DEFAULT_STEP,
            converter = DurationConverter.class)
    Duration ceilingStep;

    @Option(names = "--ceiling-max-rate", hidden = true, defaultValue = CeilingOptions.DEFAULT_MAX_RATE)
    double ceilingMaxRate;

    @Option(names = "--ceiling-refine", hidden = true, defaultValue = CeilingOptions.DEFAULT_REFINE)
    int ceilingRefine;

    SoakOptions soakOptions() {
        return SoakOptions.of(soak, soakRate);
    }

    CeilingOptions ceilingOptions() {
        return CeilingOptions.of(ceilingFactor, ceilingStep, ceilingMaxRate, ceilingRefine);
    }
}
