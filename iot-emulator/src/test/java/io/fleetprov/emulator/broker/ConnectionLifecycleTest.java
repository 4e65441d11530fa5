package io.fleetprov.emulator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionLifecycleTest {

    @ParameterizedTest
    @CsvSource({"0,1200", "1,30", "29,30", "30,30", "60,60", "1200,1200", "1201,1200", "65535,1200"})
    void keepAliveIsClampedLikeAws(int requested, int effective) {
        assertThat(ConnectionLifecycle.clampKeepAlive(requested)).isEqualTo(effective);
    }
}
