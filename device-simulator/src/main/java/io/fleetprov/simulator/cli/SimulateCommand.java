package io.fleetprov.simulator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "simulate", mixinStandardHelpOptions = true)
public class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
