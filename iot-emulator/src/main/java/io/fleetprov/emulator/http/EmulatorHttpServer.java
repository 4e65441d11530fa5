package io.fleetprov.emulator.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulator's one HTTP port (LocalStack's 4566 by default): the AWS IoT control plane and the Cognito subset
 * side by side, as {@code --endpoint-url} users expect one URL to serve both. Bound before it is started, so that
 * the actual port (when asked for port 0) is known to things built before it serves, such as Cognito's issuer URL.
 */
public final class EmulatorHttpServer implements AutoCloseable {

    /** Control-plane calls are short; a few threads keep a load test's claim minting concurrent. */
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;

    private EmulatorHttpServer(HttpServer server) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread thread = new Thread(r, "emulator-http-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    /** Binds the port (0 = a free one) without serving yet. */
    public static EmulatorHttpServer bind(String host, int port) {
        try {
            return new EmulatorHttpServer(HttpServer.create(new InetSocketAddress(host, port), 64));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP port " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Starts serving the control plane and, for requests {@code CognitoHttpHandler.handles}, Cognito. */
    public void start(ControlPlane controlPlane, HttpHandler cognito, SigV4Verifier sigV4) {
        server.createContext("/", new RequestDispatcher(controlPlane, cognito, sigV4));
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
