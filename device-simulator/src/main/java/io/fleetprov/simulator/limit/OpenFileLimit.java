package io.fleetprov.simulator.limit;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * The open-file limit of this process ({@code ulimit -n}) as a budget for device connections. Past it every further
 * connection fails with "Too many open files", one stack trace per device, so a run that cannot fit is stopped
 * before it starts, with the numbers needed to split it.
 *
 * @param limit the most files this process may have open
 */
public record OpenFileLimit(long limit) {

    /**
     * Files this process takes besides device connections: the JVM's jars, epoll and pipe descriptors, connections
     * to claim-service, Cognito and the AWS API, report files. A simulator holding no device connection has about
     * 150 open; the rest is headroom.
     */
    public static final long RESERVE = 512;

    /** This process's limit, where the JVM can tell it (not on Windows). */
    public static Optional<OpenFileLimit> ofThisProcess() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? Optional.of(new OpenFileLimit(unix.getMaxFileDescriptorCount()))
                : Optional.empty();
    }

    /** How many device connections this process can hold at once. */
    public long connectionsThatFit() {
        return Math.max(0, limit - RESERVE);
    }

    /**
     * Why a run that holds {@code connections} at once in this process cannot start, if it cannot; {@code
     * totalConnections} is what all shards together hold, from which the number of shards that would fit follows.
     */
    public Optional<String> refusal(String what, long connections, long totalConnections) {
        long fit = connectionsThatFit();
        if (connections <= fit) {
            return Optional.empty();
        }
        long shards = fit == 0 ? 0 : (totalConnections + fit - 1) / fit;
        return Optional.of(String.format(
                "%s holds up to %d connections at once in this process, but it may open %d files (ulimit -n) and "
                        + "keeps %d for itself: %d connections fit. Raise 'ulimit -n', or split the run into %s "
                        + "(--shard-count, one process per machine or pod; 'simulate merge' joins their reports "
                        + "exactly).",
                what, connections, limit, RESERVE, fit, shards == 0 ? "more shards" : shards + " shards"));
    }
}
