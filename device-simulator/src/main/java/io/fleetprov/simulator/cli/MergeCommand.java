package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.load.RunResult;
import io.fleetprov.simulator.report.RunMerger;
import io.fleetprov.simulator.report.Slo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fleetprov simulate merge DIR…}: one summary and report from shard outputs, exactly. */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = {
            "Combines the --out directories of a run's shards into one summary and report.",
            "Histograms are merged interval by interval from the HDR logs; percentiles are recomputed, never averaged."
        })
public class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Shard output directories of one run.")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged output goes.")
    Path out;

    @Option(names = "--slo", paramLabel = "CHECKS", description = "Check the merged run; exit code 3 when missed.")
    String slo;

    @Override
    public Integer call() throws IOException {
        return RunOutput.exitCode(merge());
    }

    RunResult merge() throws IOException {
        return RunOutput.finish(RunMerger.merge(dirs), slo == null ? null : Slo.parse(slo), out, System.err);
    }
}
