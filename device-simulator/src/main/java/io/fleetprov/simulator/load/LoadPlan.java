package io.fleetprov.simulator.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What one run (or one shard of it) offers.
 *
 * @param devices       devices for the whole run across all shards; 0 to run for {@code duration} instead
 * @param ratePerSecond arrival rate for the whole run; each shard offers its share
 * @param concurrency   devices in flight at most, per shard; later arrivals wait, and the wait counts as latency
 * @param serialPrefix  serial numbers are {@code prefix + runId + "-" + index}
 */
public record LoadPlan(
        String runId,
        long devices,
        Duration duration,
        double ratePerSecond,
        Duration ramp,
        int concurrency,
        Shard shard,
        String serialPrefix,
        FaultPlan faults) {

    public LoadPlan {
        Objects.requireNonNull(runId, "runId");
        if (devices <= 0 && (duration == null || duration.isZero())) {
            throw new IllegalArgumentException("give a number of devices or a duration");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(faults, "faults");
    }

    public ArrivalSchedule schedule() {
        return new ArrivalSchedule(ratePerSecond / shard.count(), ramp);
    }

    /** Devices this shard starts; -1 in duration mode. */
    public long shardDevices() {
        return devices > 0 ? shard.devices(devices) : -1;
    }

    public String serial(long deviceIndex) {
        return serialPrefix + runId + "-" + String.format("%06d", deviceIndex);
    }
}
