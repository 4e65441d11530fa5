package io.fleetprov.simulator.report;

import java.util.Map;
import java.util.TreeMap;

/** Faulty devices of one mode: how many were injected, how many were refused as expected, and what was seen. */
public record FaultTally(String expected, long injected, long asExpected, Map<String, Long> observed) {

    public FaultTally {
        observed = new TreeMap<>(observed);
    }

    public FaultTally plus(FaultTally other) {
        Map<String, Long> sum = new TreeMap<>(observed);
        other.observed.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return new FaultTally(expected, injected + other.injected, asExpected + other.asExpected, sum);
    }
}
