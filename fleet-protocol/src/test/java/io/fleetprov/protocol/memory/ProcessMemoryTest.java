package io.fleetprov.protocol.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void dividesTheGrowthByTheConnectionsGained() {
        var before = new ProcessMemory(10, 1_000_000, 5_000_000);
        var connected = new ProcessMemory(110, 3_048_000, 10_120_000);

        assertThat(connected.heapBytesPerConnectionSince(before)).isEqualTo(20_480.0);
        assertThat(connected.rssBytesPerConnectionSince(before)).isEqualTo(51_200.0);
    }

    @Test
    void saysNothingWithoutConnectionsGainedOrAResidentSet() {
        var before = new ProcessMemory(5, 1_000, -1);

        assertThat(new ProcessMemory(5, 2_000, 3_000).heapBytesPerConnectionSince(before))
                .isNaN();
        assertThat(new ProcessMemory(6, 2_000, 3_000).rssBytesPerConnectionSince(before))
                .isNaN();
    }

    @Test
    void measuresThisProcess() {
        assumeThat(Files.exists(Path.of("/proc/self/status"))).isTrue();

        ProcessMemory now = ProcessMemory.ofThisProcess(3);

        assertThat(now.connections()).isEqualTo(3);
        assertThat(now.heapUsedBytes()).isPositive();
        assertThat(now.rssBytes()).isGreaterThan(now.heapUsedBytes() / 4);
    }
}
