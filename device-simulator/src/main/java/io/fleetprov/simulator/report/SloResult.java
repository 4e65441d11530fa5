package io.fleetprov.simulator.report;

import java.util.List;

/** An SLO checked against a run; {@code actual} is in the check's unit (ms, %, devices/s or a count). */
public record SloResult(String expression, boolean passed, List<Outcome> checks) {

    public record Outcome(String check, double actual, boolean passed) {}
}
