package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.client.ProvisioningMode;
import io.fleetprov.simulator.load.CeilingFinder;
import io.fleetprov.simulator.load.FaultPlan;
import io.fleetprov.simulator.load.LoadPlan;
import io.fleetprov.simulator.report.ReportWriter;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./fleetprov simulate ceiling}: the highest arrival rate the target sustains, found by runs at rising
 * rates, and where each API began to throttle.
 */
@Command(
        name = "ceiling",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Ceiling discovery: runs steps from --rate upwards (each --ceiling-factor times the last,",
            "--ceiling-step long) until a step misses the --slo (default 'errors<=0') or is throttled; reports the",
            "highest sustainable rate and, per API, the rate where throttling began (DIR/ceiling.json, one report",
            "per step in DIR/step-RATE/). --devices and --duration are not used: each step sizes itself."
        })
public class CeilingCommand implements Callable<Integer> {

    static final String FILE = "ceiling.json";

    @Mixin
    CeilingOptions ceiling = new CeilingOptions();

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() throws Exception {
        find(options, ceiling, System.err);
        // A search always ends with an answer; missing the SLO is how it ends, not a failure.
        return RunOutput.EXIT_OK;
    }

    static CeilingFinder.Result find(RunOptions options, CeilingOptions ceiling, PrintStream err) throws Exception {
        options.requireTemplate();
        // Refused here, as usage errors, before any device is provisioned (CeilingFinder would refuse them too, but
        // only after the warm-up).
        if (!(ceiling.factor > 1)) {
            throw options.usage("--ceiling-factor must be above 1");
        }
        if (ceiling.refineSteps < 0) {
            throw options.usage("--ceiling-refine must be 0 or more");
        }
        if (ceiling.warmupRate != null && !(ceiling.warmupRate > 0)) {
            throw options.usage("--ceiling-warmup-rate must be above 0");
        }
        Slo objectives = Slo.parse(options.slo != null ? options.slo : "errors<=0");
        // Each step sizes itself; this plan only carries the shared settings (and checks the faults given).
        LoadPlan base = new LoadPlan(
                options.runIdOrTimestamp(),
                Math.max(1, options.devices),
                null,
                options.rate,
                options.ramp,
                options.concurrency,
                options.shard(),
                options.serialPrefix,
                FaultPlan.parse(options.faults));
        try (SimulatorRuntime runtime = SimulatorRuntime.open(options)) {
            Map<String, Object> settings = runtime.settings(base);
            RunCommand.measureLimitIfAsked(options, runtime, settings, err);
            warmUp(runtime, ceiling, base, settings, err);
            CeilingFinder.Result result = search(runtime, options, ceiling, objectives, base, settings, err);
            Map<String, Object> m = result.toMap();
            m.put("slo", objectives.expression());
            m.put("settings", settings);
            if (options.out != null) {
                RunOutput.writeJson(options.out.resolve(FILE), m);
            }
            err.printf(
                    "fleetprov simulate: highest sustainable rate %s devices/s (%s); throttling began at %s%n",
                    result.sustainableRate() == null ? "none" : result.sustainableRate(),
                    result.stoppedBecause(),
                    result.throttlingBeganAt().isEmpty() ? "no step" : result.throttlingBeganAt());
            System.out.println(RunOutput.toJson(m));
            return result;
        }
    }

    /**
     * Started cold, a search can miss its SLO at the first step while JIT compilers and pools warm up, and then
     * report no ceiling at all; a warm-up run (at half the first rate unless told), whose figures are only printed,
     * avoids that.
     */
    private static void warmUp(
            SimulatorRuntime runtime,
            CeilingOptions ceiling,
            LoadPlan base,
            Map<String, Object> settings,
            PrintStream err) {
        if (ceiling.warmupDevices <= 0) {
            return;
        }
        // Like the steps, --rate and the device count are per shard here.
        double rate = ceiling.warmupRate != null ? ceiling.warmupRate : Math.max(1, base.ratePerSecond() / 2);
        err.printf(
                "fleetprov simulate: warming up with %d devices at %.1f devices/s (not counted)%n",
                ceiling.warmupDevices, rate);
        LoadPlan plan = new LoadPlan(
                base.runId() + "-warmup",
                ceiling.warmupDevices * base.shard().count(),
                null,
                rate * base.shard().count(),
                base.ramp(),
                base.concurrency(),
                base.shard(),
                base.serialPrefix(),
                FaultPlan.NONE);
        Map<String, Object> warmupSettings = new LinkedHashMap<>(settings);
        warmupSettings.put("rate", rate);
        warmupSettings.put("devices", ceiling.warmupDevices);
        RunData run = runtime.run(plan, warmupSettings, null, err);
        err.printf(
                "fleetprov simulate: warm-up done: %d provisioned, %d failed %s, p99 total %.0f ms%n",
                run.provisioned(),
                run.failed(),
                run.failuresByCode(),
                run.histogram(Phase.TOTAL).getValueAtPercentile(99) / 1000.0);
    }

    private static CeilingFinder.Result search(
            SimulatorRuntime runtime,
            RunOptions options,
            CeilingOptions ceiling,
            Slo objectives,
            LoadPlan base,
            Map<String, Object> settings,
            PrintStream err) {
        Map<String, String> apis = Map.of(
                "claim",
                runtime.claims().name().equals("direct") ? "CreateProvisioningClaim" : "POST /v1/claims",
                "create-certificate",
                options.mode == ProvisioningMode.CSR ? "CreateCertificateFromCsr" : "CreateKeysAndCertificate",
                "register-thing",
                "RegisterThing");
        CeilingFinder finder =
                new CeilingFinder(objectives, options.rate, ceiling.factor, ceiling.maxRate, ceiling.refineSteps, apis);
        err.printf(
                "fleetprov simulate: finding the ceiling from %.1f devices/s (x%.2f per step of %s, SLO %s)%n",
                options.rate, ceiling.factor, ceiling.step, objectives.expression());
        return finder.find(
                stepRate -> {
                    long stepDevices = Math.max(1, Math.round(stepRate * ceiling.step.toMillis() / 1000.0));
                    LoadPlan plan = new LoadPlan(
                            stepRunId(base.runId(), stepRate),
                            stepDevices * base.shard().count(),
                            null,
                            stepRate * base.shard().count(),
                            base.ramp(),
                            base.concurrency(),
                            base.shard(),
                            base.serialPrefix(),
                            FaultPlan.NONE);
                    Map<String, Object> stepSettings = new LinkedHashMap<>(settings);
                    stepSettings.put("rate", stepRate);
                    stepSettings.put("devices", stepDevices);
                    return runtime.run(plan, stepSettings, null, err);
                },
                step -> {
                    err.printf(
                            "fleetprov simulate: step %.1f devices/s: achieved %.2f/s, %d provisioned, %d failed %s, "
                                    + "p99 total %.0f ms, throttled %s -> %s%n",
                            step.offeredRate(),
                            step.run().devicesPerSecond(),
                            step.run().provisioned(),
                            step.run().failed(),
                            step.run().failuresByCode(),
                            step.run().histogram(Phase.TOTAL).getValueAtPercentile(99) / 1000.0,
                            step.throttledByApi(),
                            step.sustainable() ? "sustainable" : "not sustainable");
                    if (options.out != null) {
                        try {
                            ReportWriter.write(
                                    options.out.resolve("step-" + formatRate(step.offeredRate())),
                                    step.run(),
                                    step.slo());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
    }

    /**
     * The step's run id, part of every serial number and thing name: a fractional rate's point becomes {@code _},
     * since thing names allow only {@code [a-zA-Z0-9:_-]}.
     */
    static String stepRunId(String runId, double rate) {
        return runId + "-r" + formatRate(rate).replace('.', '_');
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
