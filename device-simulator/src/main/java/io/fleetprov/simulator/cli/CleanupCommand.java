package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.claim.AwsClients;
import io.fleetprov.simulator.claim.RunCleaner;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./fleetprov simulate cleanup --run-id ID}: deletes the things and certificates a run created. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        description = {
            "Deletes the things a run created (their names contain PREFIX + RUNID + '-', because the",
            "run's serial numbers do), and each thing's certificates: detached, set INACTIVE, deleted."
        })
public class CleanupCommand implements Callable<Integer> {

    /** What a cleanup found (dry run) or deleted. */
    public record Result(boolean dryRun, List<RunCleaner.Removed> things) {}

    @Mixin
    TargetOptions target = new TargetOptions();

    @Option(names = "--run-id", required = true, description = "The run to clean up.")
    String runId;

    @Option(
            names = "--serial-prefix",
            defaultValue = "sim-",
            description = "As given to the run. Default: ${DEFAULT-VALUE}.")
    String serialPrefix;

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
        Result result = clean();
        System.err.printf(
                "fleetprov simulate cleanup: %s %d things%n",
                result.dryRun() ? "found" : "deleted", result.things().size());
        return RunOutput.EXIT_OK;
    }

    Result clean() {
        AwsClients aws = new AwsClients(target.controlPlaneUrl(), target.region(), target.isEmulator(), 16);
        try (var iot = aws.iot()) {
            List<RunCleaner.Removed> removed = new RunCleaner(iot)
                    .clean(
                            serialPrefix + runId + "-",
                            dryRun,
                            item -> System.out.println((dryRun ? "would delete " : "deleted ") + item.thingName() + " "
                                    + item.certificateArns()));
            return new Result(dryRun, removed);
        }
    }
}
