package io.fleetprov.simulator;

import io.vertx.core.Vertx;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test class's {@code ProvisioningFlow}s run on: one Vert.x instance and a CPU pool for key and CSR work,
 * made before the class's {@code @BeforeAll} methods and closed after its {@code @AfterAll} methods. Register it
 * on a static field with {@code @RegisterExtension}.
 */
public final class FlowRuntime implements BeforeAllCallback, AfterAllCallback {

    private Vertx vertx;
    private ExecutorService cpu;

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
        cpu = Executors.newFixedThreadPool(2);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        cpu.shutdownNow();
    }

    public Vertx vertx() {
        return vertx;
    }

    public ExecutorService cpu() {
        return cpu;
    }
}
