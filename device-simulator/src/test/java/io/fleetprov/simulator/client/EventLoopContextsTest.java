package io.fleetprov.simulator.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopContextsTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectionsShareOneEventLoopContextPerLoopAndAreSpreadOverAllLoops() throws Exception {
        EventLoopContexts contexts = new EventLoopContexts(vertx);
        List<Context> given = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            given.add(contexts.next());
        }

        assertThat(new HashSet<>(given)).hasSize(2);
        assertThat(given).allMatch(Context::isEventLoopContext);
        Set<String> threads = new HashSet<>();
        for (Context context : new HashSet<>(given)) {
            CompletableFuture<String> thread = new CompletableFuture<>();
            context.runOnContext(
                    ignored -> thread.complete(Thread.currentThread().getName()));
            threads.add(thread.get(10, TimeUnit.SECONDS));
        }
        assertThat(threads).hasSize(2).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
    }
}
