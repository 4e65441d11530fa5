package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A session command that throws no longer ends its loop: the client's later commands still run. */
class SessionLoopRestarterTest {

    private final Server server = new Server();
    private PostOffice postOffice;

    @BeforeEach
    void start() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(0)), List.of());
        BrokerInternals.attach(server);
        postOffice = (PostOffice) Moquette017.read(Moquette017.SERVER_DISPATCHER, server);
    }

    @AfterEach
    void stop() {
        server.stopServer();
    }

    @Test
    void aLoopWhoseCommandThrewKeepsServingItsClients() {
        for (int attempt = 0; attempt < 3; attempt++) {
            postOffice.routeCommand("device-1", "failing", () -> {
                throw new IllegalStateException("a command that fails");
            });
            var after = postOffice.routeCommand("device-1", "after the failure", () -> "ran");
            assertThat(after.completableFuture()).succeedsWithin(Duration.ofSeconds(5));
        }
    }
}
