package io.fleetprov.simulator.limit;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a run achieved against this machine's limit: {@code machine-limit.json} after a run. */
public record LimitComparison(MachineLimit.Result limit, double achievedDevicesPerSecond) {

    public double ratio() {
        return achievedDevicesPerSecond / limit.devicesPerSecond();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(limit.toMap());
        m.put("achievedDevicesPerSecond", Math.round(achievedDevicesPerSecond * 100) / 100.0);
        m.put("ratio", Math.round(ratio() * 10_000) / 10_000.0);
        return m;
    }
}
