package io.fleetprov.simulator.load;

import io.fleetprov.simulator.limit.LimitComparison;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.SloResult;

/**
 * A finished run (or a merge of shard runs) with its verdict.
 *
 * @param slo          the SLO verdict; null when no SLO was given
 * @param againstLimit the run's devices/s against this machine's limit; null unless it was measured
 */
public record RunResult(RunData run, SloResult slo, LimitComparison againstLimit) {

    public RunResult(RunData run, SloResult slo) {
        this(run, slo, null);
    }

    /** True unless an SLO was given and missed. */
    public boolean sloMet() {
        return slo == null || slo.passed();
    }

    public RunResult withLimit(LimitComparison comparison) {
        return new RunResult(run, slo, comparison);
    }
}
