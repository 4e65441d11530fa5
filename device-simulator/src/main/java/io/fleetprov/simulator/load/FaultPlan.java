package io.fleetprov.simulator.load;

import io.fleetprov.simulator.client.FaultMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which devices misbehave: each mode claims a fraction of the devices. The choice depends only on the global
 * device index, so shards agree and a rerun injects the same faults into the same devices.
 */
public record FaultPlan(Map<FaultMode, Double> fractions) {

    public static final FaultPlan NONE = new FaultPlan(Map.of());

    public FaultPlan {
        fractions = Map.copyOf(fractions);
        double sum =
                fractions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 1.0 + 1e-9 || fractions.values().stream().anyMatch(f -> f < 0)) {
            throw new IllegalArgumentException("fault fractions must be ≥ 0 and add up to at most 1");
        }
    }

    /** {@code mode[:fraction]} items, e.g. {@code reuse-token:0.1}; a bare mode means every device. */
    public static FaultPlan parse(Iterable<String> specs) {
        Map<FaultMode, Double> fractions = new LinkedHashMap<>();
        for (String spec : specs) {
            String[] parts = spec.split(":", 2);
            fractions.put(FaultMode.fromLabel(parts[0].trim()), parts.length == 2 ? Double.parseDouble(parts[1]) : 1.0);
        }
        return new FaultPlan(fractions);
    }

    public boolean isEmpty() {
        return fractions.isEmpty();
    }

    public Optional<FaultMode> faultFor(long deviceIndex) {
        if (fractions.isEmpty()) {
            return Optional.empty();
        }
        // Weyl sequence: evenly spread over [0,1) and deterministic per index.
        double u = (deviceIndex * 0.6180339887498949) % 1.0;
        double cumulative = 0;
        for (FaultMode mode : FaultMode.values()) {
            cumulative += fractions.getOrDefault(mode, 0.0);
            if (u < cumulative) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
