package io.fleetprov.simulator.claim;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a device's claim comes from. A failed future carries a
 * {@link io.fleetprov.simulator.client.DeviceException} with AWS's error code or the HTTP status, so throttling
 * can be retried and failures classified.
 */
public interface ClaimSource extends AutoCloseable {

    CompletableFuture<ClaimBundle> claim(String serialNumber);

    /** The W3C trace id of this device's claim request, when the source sends one (trusted-user does). */
    default Optional<String> traceId(String serialNumber) {
        return Optional.empty();
    }

    /** For reports: "direct" or "trusted-user". */
    String name();

    @Override
    default void close() {}
}
