package io.fleetprov.simulator.load;

/**
 * One of {@code count} simulator processes (a Kubernetes Indexed Job's pods). Shards get disjoint device indexes,
 * so their devices never collide, and each offers {@code 1/count} of the arrival rate.
 */
public record Shard(int index, int count) {

    public static final Shard SINGLE = new Shard(0, 1);

    /** Bound on the devices one shard may start in duration mode: shard k owns [k·B, (k+1)·B). */
    static final long DURATION_BLOCK = 1_000_000_000L;

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard index " + index + " is not within 0.." + (count - 1));
        }
    }

    /** The contiguous part of {@code 0..total-1} this shard runs. */
    public long firstIndex(long total) {
        return total * index / count;
    }

    public long devices(long total) {
        return total * (index + 1) / count - firstIndex(total);
    }

    /** Global device index of this shard's {@code n}-th device. */
    public long deviceIndex(long total, long n) {
        return total > 0 ? firstIndex(total) + n : index * DURATION_BLOCK + n;
    }

    /** Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX in each pod. */
    public static int indexFromEnvironment() {
        String value = System.getenv("JOB_COMPLETION_INDEX");
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
    }
}
