package io.fleetprov.simulator.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A provisioned device among the slowest of a run, with the W3C trace id its claim request carried: the id to look up
 * in the trace viewer or in audit-service ({@code GET /v1/events?traceId=}) to see where its time went.
 *
 * @param totalMs from the device's due time to its provisioning, in ms
 */
public record SlowDevice(String serialNumber, long totalMs, String traceId) {

    /** How many devices summary.json and the report list. */
    public static final int LISTED = 10;

    /** The {@link #LISTED} slowest of {@code devices}, slowest first; ties by serial number, so merges are exact. */
    public static List<SlowDevice> slowest(Collection<SlowDevice> devices) {
        return devices.stream()
                .sorted(Comparator.comparingLong(SlowDevice::totalMs)
                        .reversed()
                        .thenComparing(SlowDevice::serialNumber))
                .limit(LISTED)
                .toList();
    }
}
