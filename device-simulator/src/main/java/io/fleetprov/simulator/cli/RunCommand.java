package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.limit.MachineLimit;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.RunResult;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./fleetprov simulate run} (or bare {@code simulate}): one load run, its report and its SLO verdict. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Provisions many distinct simulated devices through the whole fleet-provisioning-by-trusted-user flow",
            "(claim -> connect with claim -> create certificate -> RegisterThing -> reconnect as the thing ->",
            "first publish) at a target arrival rate, and measures every phase with HDR histograms.",
            "",
            "Exit codes: 0 done (and SLO met), 1 error, 2 bad usage, 3 SLO missed."
        })
public class RunCommand implements Callable<Integer> {

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() throws Exception {
        return RunOutput.exitCode(run(options, System.err));
    }

    static RunResult run(RunOptions options, PrintStream err) throws Exception {
        options.requireRunSize();
        options.requireOpenFiles(false);
        Slo objectives = options.objectives();
        LoadPlan plan = options.plan(options.runIdOrTimestamp());
        try (SimulatorRuntime runtime = SimulatorRuntime.open(options)) {
            Map<String, Object> settings = runtime.settings(plan);
            MachineLimit.Result limit = measureLimitIfAsked(options, runtime, settings, err);
            runtime.announce(plan, err);
            RunData run = runtime.run(plan, settings, null, err);
            return finish(options, objectives, run, limit, err);
        }
    }

    /** With {@code --machine-limit}: measured before the run, and echoed into its settings. */
    static MachineLimit.Result measureLimitIfAsked(
            RunOptions options, SimulatorRuntime runtime, Map<String, Object> settings, PrintStream err) {
        if (!options.machineLimit) {
            return null;
        }
        MachineLimit.Result limit =
                MachineLimitCommand.measure(options.keyType, runtime.mqtt().openSsl(), err);
        settings.put("machineLimit", limit.toMap());
        return limit;
    }

    static RunResult finish(RunOptions options, Slo objectives, RunData run, MachineLimit.Result limit, PrintStream err)
            throws IOException {
        RunResult result = RunOutput.finish(run, objectives, options.out, err);
        return limit == null ? result : result.withLimit(MachineLimitCommand.compare(run, limit, options.out, err));
    }
}
