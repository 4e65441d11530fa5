package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.moquette.broker.config.MemoryConfig;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A session command that throws no longer ends its loop: the client's later commands still run. */
class SessionLoopRestarterTest {

    private final Server server = new Server();
    private PostOffice postOffice;

    @BeforeEach
    void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", "0");
        p.setProperty("websocket_port", "disabled");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        server.startServer(new MemoryConfig(p), List.of());
        SessionLoopRestarter.watch(server);
        Field dispatcher = Server.class.getDeclaredField("dispatcher");
        dispatcher.setAccessible(true);
        postOffice = (PostOffice) dispatcher.get(server);
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
