package io.fleetprov.emulator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {

    private final ConnectionCap cap = new ConnectionCap(ConnectionCap.RESERVE + 2, Clock.systemUTC());

    @Test
    void theCapIsTheOpenFileLimitLessTheReserve() {
        assertThat(cap.cap()).isEqualTo(2);
        assertThat(new ConnectionCap(100, Clock.systemUTC()).cap()).isZero();
        assertThat(ConnectionCap.forThisProcess(Clock.systemUTC()).openFileLimit())
                .isGreaterThan(ConnectionCap.RESERVE);
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndTheOnesHeldAreKept() {
        EmbeddedChannel first = new EmbeddedChannel(cap);
        EmbeddedChannel second = new EmbeddedChannel(cap);
        EmbeddedChannel third = new EmbeddedChannel(cap);

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
        assertThat(cap.open()).isEqualTo(2);
    }

    @Test
    void aClosedConnectionFreesItsPlace() {
        EmbeddedChannel first = new EmbeddedChannel(cap);
        new EmbeddedChannel(cap);
        first.close().syncUninterruptibly();
        first.finishAndReleaseAll();

        EmbeddedChannel next = new EmbeddedChannel(cap);
        assertThat(next.isOpen()).isTrue();
        assertThat(cap.open()).isEqualTo(2);
    }
}
