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
 * side by side, as {@code --endpoint-url} users expect one URL to serve both. Bound before the rest of the emulator
 * exists, so that the actual port (when asked for port 0) is known to what is built before it serves, such as
 * Cognito's issuer URL; until {@link #start} it answers 503 ServiceUnavailableException.
 */
public final class EmulatorHttpServer implements AutoCloseable {

    /**
     * The JDK's HttpServer (17) writes a response's headers and its body in two writes on a socket with Nagle's
     * algorithm on, so the body waits for the client's delayed ACK of the headers: 40 ms or more on Linux, on every
     * control-plane and Cognito call (44 ms of a 45 ms CreateProvisioningClaim here). Its only switch is this system
     * property, read once when the first HttpServer of the JVM is created; set here, before this class creates one,
     * unless the operator set it. {@code EmulatorHttpServerNoDelayTest} fails if the JDK stops reading it.
     */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /**
     * The JDK's HttpServer closes a keep-alive connection as soon as its answer is sent when 200 others are idle
     * already (its default). A load test's SDK client keeps up to its concurrency (1,000 in the README's runs) of
     * pooled connections; when the load dips, the server closed the ones past 200 while the client was sending its
     * next request on them, and the device failed with {@code Connection reset}. Idle connections still close after
     * the server's idle interval (30 s). Read, like {@link #NO_DELAY}, once per JVM; set unless the operator did.
     */
    static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static final int IDLE_CONNECTIONS_KEPT = 4096;

    /** Connections waiting to be accepted: a load test opens hundreds at once. */
    private static final int BACKLOG = 1024;

    static {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, Integer.toString(IDLE_CONNECTIONS_KEPT));
        }
    }

    /** Control-plane calls are short; a few threads keep a load test's claim minting concurrent. */
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;
    /** Swapped from "starting" to the real dispatcher by {@link #start}. */
    private volatile HttpHandler handler = exchange -> {
        try (exchange) {
            AwsErrors.send(
                    exchange,
                    new AwsException(
                            io.fleetprov.emulator.registry.ErrorType.ServiceUnavailableException,
                            "The emulator is starting"),
                    "application/json");
        }
    };

    private EmulatorHttpServer(HttpServer server) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread thread = new Thread(r, "emulator-http-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handler.handle(exchange));
        // Serving from the start also matters for close(): the JDK releases a listening socket only through its
        // dispatcher thread, so a bound but never-started server would keep the port until the JVM exits.
        server.start();
    }

    /** Binds the port (0 = a free one); it answers 503 until {@link #start}. */
    public static EmulatorHttpServer bind(String host, int port) {
        try {
            return new EmulatorHttpServer(HttpServer.create(new InetSocketAddress(host, port), BACKLOG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP port " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Starts serving the control plane and, for requests {@code CognitoHttpHandler.handles}, Cognito. */
    public void start(ControlPlane controlPlane, HttpHandler cognito, SigV4Verifier sigV4) {
        handler = new RequestDispatcher(controlPlane, cognito, sigV4);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
