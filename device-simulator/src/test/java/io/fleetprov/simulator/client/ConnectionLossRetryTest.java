package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLossRetryTest {

    private static CompletableFuture<String> failing(Phase phase, String code) {
        return CompletableFuture.failedFuture(new FlowException(phase, new DeviceException(code, "x", null)));
    }

    @Test
    void aLostConnectionIsRetriedOnANewOneAndCounted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> retried = new ArrayList<>();
        AtomicInteger cleanups = new AtomicInteger();

        String result = ProvisioningFlow.retryOnConnectionLoss(
                        () -> calls.incrementAndGet() < 3
                                ? failing(Phase.CREATE_CERTIFICATE, DeviceException.CONNECTION_LOST)
                                : CompletableFuture.completedFuture("created"),
                        retried::add,
                        cleanups::incrementAndGet,
                        0)
                .get();

        assertThat(result).isEqualTo("created");
        assertThat(retried).containsExactly("create-certificate/ConnectionLost", "create-certificate/ConnectionLost");
        assertThat(cleanups).hasValue(2);
    }

    @Test
    void givesUpAfterTheLastRetryAndNeverRetriesOtherFailures() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ProvisioningFlow.retryOnConnectionLoss(
                                () -> {
                                    calls.incrementAndGet();
                                    return failing(Phase.RECONNECT, DeviceException.CONNECTION_LOST);
                                },
                                k -> {},
                                () -> {},
                                0)
                        .get())
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(DeviceException.class);
        assertThat(calls).hasValue(1 + ProvisioningFlow.CONNECTION_RETRIES);

        for (String code : List.of(DeviceException.TIMEOUT, DeviceException.TLS_HANDSHAKE, "InvalidPayload")) {
            AtomicInteger once = new AtomicInteger();
            assertThatThrownBy(() -> ProvisioningFlow.retryOnConnectionLoss(
                                    () -> {
                                        once.incrementAndGet();
                                        return failing(Phase.CREATE_CERTIFICATE, code);
                                    },
                                    k -> {},
                                    () -> {},
                                    0)
                            .get())
                    .isInstanceOf(ExecutionException.class);
            assertThat(once).as(code).hasValue(1);
        }
    }
}
