package io.fleetprov.simulator.load;

/** A run whose devices then stayed connected and published: the run, then what the soak measured. */
public record SoakRunResult(RunResult run, SoakResult soak) {}
