package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One {@code simulate ceiling} in a child JVM, watched through the lines it prints: CPU of every process of the flow
 * is read when the search starts (after the warm-up) and as each step ends, so each step's CPU per device is the
 * difference over the devices it provisioned.
 */
final class CeilingRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "fleetprov simulate: ";

    /**
     * CPU seconds of each process, the part of it its JIT compilers spent (JVMs only), and how far the hook log had
     * grown, at one moment.
     */
    record Mark(Map<String, Double> cpuSeconds, Map<String, Double> jitSeconds, long hookLogBytes) {}

    /** What the search wrote ({@code ceiling.json}) and the marks: [0] before the first step, [i] after step i. */
    record Outcome(JsonNode ceiling, List<Mark> marks, int exitCode) {}

    private final String label;
    private final Map<String, DoubleSupplier> processes;
    private final Map<String, Long> jvms;
    private final LongSupplier hookLogBytes;
    private final PrintStream console;

    /**
     * @param processes process name → its CPU seconds so far (the simulator is added once started)
     * @param jvms process name → pid, for those of them that are JVMs (the simulator is added once started)
     */
    CeilingRun(
            String label,
            Map<String, DoubleSupplier> processes,
            Map<String, Long> jvms,
            LongSupplier hookLogBytes,
            PrintStream console) {
        this.label = label;
        this.processes = new LinkedHashMap<>(processes);
        this.jvms = new LinkedHashMap<>(jvms);
        this.hookLogBytes = hookLogBytes;
        this.console = console;
    }

    Outcome run(List<String> command, Map<String, String> environment, Path out)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.resolve("simulator-stdout.json").toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        Process simulator = builder.start();
        Thread stop = new Thread(simulator::destroy, "bench-stop-simulator");
        Runtime.getRuntime().addShutdownHook(stop);
        long pid = simulator.pid();
        processes.put("simulator", () -> ProcessCpu.treeSeconds(pid));
        jvms.put("simulator", pid);
        List<Mark> marks = new ArrayList<>();
        try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(simulator.getErrorStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(out.resolve("simulator.log"))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                if (!line.startsWith(PREFIX)) {
                    continue;
                }
                String said = line.substring(PREFIX.length());
                // Read first, print after: the marks are the nearest to the step's end.
                if (said.startsWith("finding the ceiling") || said.startsWith("step ")) {
                    marks.add(mark());
                }
                console.println("  [" + label + "] " + said);
            }
        } finally {
            int exit = simulator.waitFor();
            removeShutdownHook(stop);
            if (exit != 0) {
                console.println("  [" + label + "] the simulator exited with " + exit + "; see "
                        + out.resolve("simulator.log"));
            }
        }
        Path ceiling = out.resolve("ceiling.json");
        if (!Files.isRegularFile(ceiling)) {
            throw new IllegalStateException(
                    label + ": the ceiling search wrote no " + ceiling + "; see " + out.resolve("simulator.log"));
        }
        return new Outcome(JSON.readTree(ceiling.toFile()), marks, simulator.exitValue());
    }

    /** Removes a hook unless the JVM is already shutting down (Ctrl-C), when it runs anyway. */
    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing to undo.
        }
    }

    private Mark mark() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        processes.forEach((name, seconds) -> cpu.put(name, seconds.getAsDouble()));
        Map<String, Double> jit = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> jit.put(name, ProcessCpu.compilerSeconds(pid)));
        return new Mark(cpu, jit, hookLogBytes.getAsLong());
    }
}
