package io.fleetprov.emulator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand that asks a running emulator for something (claim, identity): finds it by its data directory and
 * says why when it cannot, with the exit code {@link RunningEmulator.Failure} carries.
 */
abstract class RunningEmulatorCommand implements Callable<Integer> {

    @ParentCommand
    EmulatorCommand emulator;

    // The README and users write it after the subcommand as often as before it; both mean the same directory.
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The running emulator's data directory; may also come before the subcommand. "
                    + "Default: the emulator's --data-dir.")
    Path dataDir;

    @Override
    public final Integer call() throws IOException, InterruptedException {
        try {
            run(RunningEmulator.find(dataDir != null ? dataDir : emulator.dataDir, emulator.environment));
            return 0;
        } catch (RunningEmulator.Failure e) {
            System.err.println(e.getMessage());
            return e.exitCode;
        }
    }

    abstract void run(RunningEmulator running) throws RunningEmulator.Failure, IOException, InterruptedException;
}
