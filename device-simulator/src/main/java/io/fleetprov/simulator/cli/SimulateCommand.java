package io.fleetprov.simulator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./fleetprov simulate}: the simulator's commands. Bare {@code simulate [options]} is {@code run}, as it
 * was before the subcommands, so that the local stack, the Helm chart's Job and existing scripts need no change.
 */
@TopCommand
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        subcommands = {
            RunCommand.class,
            SoakCommand.class,
            CeilingCommand.class,
            MachineLimitCommand.class,
            MergeCommand.class,
            CleanupCommand.class
        },
        description = {
            "Drives many distinct simulated devices through the whole fleet-provisioning-by-trusted-user flow and",
            "measures every phase. Without a command, 'simulate [options]' is 'simulate run [options]' (options below).",
            "",
            "Exit codes: 0 done (and SLO met), 1 error, 2 bad usage, 3 SLO missed."
        },
        footer = {
            "",
            "Examples:",
            "  ./fleetprov simulate --emulator-dir .fleetprov/emulator --template my-template --devices 1000 "
                    + "--rate 50 --out /tmp/run1",
            "  ./fleetprov simulate soak --emulator-dir .fleetprov/emulator --template my-template --devices 1000 "
                    + "--soak-duration 10m",
            "  ./fleetprov simulate ceiling --emulator-dir .fleetprov/emulator --template my-template --rate 30",
            "  ./fleetprov simulate merge /tmp/shard-0 /tmp/shard-1 --out /tmp/merged",
            "",
            "'simulate --soak D' and 'simulate --find-ceiling' are still accepted for 'soak --soak-duration D' and",
            "'ceiling'."
        })
public class SimulateCommand implements Callable<Integer> {

    @Mixin
    RunOptions options = new RunOptions();

    @Mixin
    LegacyModeFlags legacy = new LegacyModeFlags();

    @Override
    public Integer call() throws Exception {
        // As before the subcommands: a ceiling search wins over a soak.
        if (legacy.findCeiling) {
            CeilingCommand.find(options, legacy.ceilingOptions(), System.err);
            return RunOutput.EXIT_OK;
        }
        if (legacy.soak != null) {
            return RunOutput.exitCode(
                    SoakCommand.soak(options, legacy.soakOptions(), System.err).run());
        }
        return RunOutput.exitCode(RunCommand.run(options, System.err));
    }
}
