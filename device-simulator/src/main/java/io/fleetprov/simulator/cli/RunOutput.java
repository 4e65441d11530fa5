package io.fleetprov.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.simulator.load.RunResult;
import io.fleetprov.simulator.report.ReportWriter;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import io.fleetprov.simulator.report.SloResult;
import io.fleetprov.simulator.report.SummaryJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every command does with a finished run: judge the SLO, write the output directory, print the summary on
 * stdout (for scripts) and the verdict on stderr; and the exit codes that CI pipelines rely on.
 */
final class RunOutput {

    static final int EXIT_OK = 0;
    static final int EXIT_SLO_MISSED = 3;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunOutput() {}

    static RunResult finish(RunData run, Slo objectives, Path out, PrintStream err) throws IOException {
        SloResult verdict = objectives == null ? null : objectives.evaluate(run);
        if (out != null) {
            ReportWriter.write(out, run, verdict);
            err.println("fleetprov simulate: wrote " + out.resolve(ReportWriter.SUMMARY) + " and "
                    + out.resolve(ReportWriter.REPORT));
        }
        System.out.println(SummaryJson.toJson(run, verdict));
        if (verdict != null && !verdict.passed()) {
            verdict.checks().stream()
                    .filter(c -> !c.passed())
                    .forEach(c ->
                            err.printf("fleetprov simulate: SLO missed: %s (actual %.3f)%n", c.check(), c.actual()));
        }
        return new RunResult(run, verdict);
    }

    static int exitCode(RunResult result) {
        return result.sloMet() ? EXIT_OK : EXIT_SLO_MISSED;
    }

    static void writeJson(Path file, Object content) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), content);
    }

    static String toJson(Object content) throws IOException {
        return JSON.writeValueAsString(content);
    }
}
