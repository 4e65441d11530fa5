package io.fleetprov.simulator.cli;

import io.fleetprov.protocol.memory.ProcessMemory;
import io.fleetprov.simulator.claim.AwsClients;
import io.fleetprov.simulator.claim.EmulatorMemory;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.simulator.limit.MachineLimit;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.load.RunResult;
import io.fleetprov.simulator.load.SoakMemory;
import io.fleetprov.simulator.load.SoakResult;
import io.fleetprov.simulator.load.SoakRunResult;
import io.fleetprov.simulator.load.SoakRunner;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./fleetprov simulate soak}: a run whose devices then stay connected as their things and publish, to see
 * what holding many connections costs and whether they last.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "A run (as 'run'), then every provisioned device stays connected with its own certificate and publishes",
            "for --soak-duration; reports publish latency (from each publish's due time), disconnects, and memory per",
            "connected device (heap after GC and RSS) of the simulator and, with --emulator-dir, of the emulator",
            "(DIR/soak.json).",
            "",
            "Exit codes: 0 done (and SLO met), 1 error, 2 bad usage, 3 SLO missed."
        })
public class SoakCommand implements Callable<Integer> {

    static final String FILE = "soak.json";

    @Mixin
    SoakOptions soak = new SoakOptions();

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() throws Exception {
        return RunOutput.exitCode(soak(options, soak, System.err).run());
    }

    static SoakRunResult soak(RunOptions options, SoakOptions soak, PrintStream err) throws Exception {
        options.requireRunSize();
        options.requireOpenFiles(true);
        Slo objectives = options.objectives();
        LoadPlan plan = options.plan(options.runIdOrTimestamp());
        try (SimulatorRuntime runtime = SimulatorRuntime.open(options)) {
            Map<String, Object> settings = runtime.settings(plan);
            MachineLimit.Result limit = RunCommand.measureLimitIfAsked(options, runtime, settings, err);
            runtime.announce(plan, err);
            Optional<EmulatorMemory> emulator = emulatorMemory(options);
            ProcessMemory simulatorBefore = ProcessMemory.ofThisProcess(0);
            ProcessMemory emulatorBefore =
                    emulator.flatMap(EmulatorMemory::measure).orElse(null);
            Queue<ProvisioningFlow.Held> connected = new ConcurrentLinkedQueue<>();
            RunData run = runtime.run(plan, settings, connected::add, err);
            RunResult result = RunCommand.finish(options, objectives, run, limit, err);
            SoakResult soaked =
                    publish(new ArrayList<>(connected), simulatorBefore, emulatorBefore, emulator, options, soak, err);
            return new SoakRunResult(result, soaked);
        }
    }

    private static SoakResult publish(
            List<ProvisioningFlow.Held> connected,
            ProcessMemory simulatorBefore,
            ProcessMemory emulatorBefore,
            Optional<EmulatorMemory> emulator,
            RunOptions options,
            SoakOptions soak,
            PrintStream err)
            throws IOException {
        err.printf(
                "fleetprov simulate: soak: %d devices connected, publishing %.1f/s for %s%n",
                connected.size(), soak.rate, soak.duration);
        SoakRunner soaker = new SoakRunner(connected, options.publishTopic);
        ProcessMemory simulatorConnected = ProcessMemory.ofThisProcess(soaker.connected());
        ProcessMemory emulatorConnected = emulatorBefore == null
                ? null
                : emulator.flatMap(EmulatorMemory::measure).orElse(null);
        var memory = new SoakMemory(simulatorBefore, simulatorConnected, emulatorBefore, emulatorConnected);
        Thread hook = new Thread(soaker::stop, "simulator-soak-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        SoakResult result;
        try {
            result = soaker.run(soak.rate, soak.duration, memory);
        } finally {
            SimulatorRuntime.removeShutdownHook(hook);
        }
        soaker.disconnectAll();
        err.printf(
                "fleetprov simulate: soak: %d connected, %d disconnects, %d/%d publishes acknowledged, publish "
                        + "p50 %s ms p99 %s ms%n",
                result.connectedAtStart(),
                result.disconnects(),
                result.acknowledged(),
                result.published(),
                result.publishLatencyMs(50),
                result.publishLatencyMs(99));
        memory.lines().lines().forEach(line -> err.println("fleetprov simulate: soak: " + line));
        if (options.out != null) {
            RunOutput.writeJson(options.out.resolve(FILE), result.toMap());
        }
        return result;
    }

    /** The emulator's own memory report, when the target is an emulator (it has a control plane to ask). */
    private static Optional<EmulatorMemory> emulatorMemory(RunOptions options) {
        if (!options.target.isEmulator() || options.target.controlPlaneUrl() == null) {
            return Optional.empty();
        }
        return Optional.of(
                new EmulatorMemory(new AwsClients(options.target.controlPlaneUrl(), options.target.region(), true, 1)));
    }
}
