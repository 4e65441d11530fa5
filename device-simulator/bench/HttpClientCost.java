import io.vertx.core.*;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions; import io.vertx.core.http.HttpClientResponse; import io.vertx.core.http.HttpMethod; import io.vertx.core.http.HttpServerOptions; import io.vertx.core.http.PoolOptions; import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.*;
import java.lang.management.*;
import java.net.URI;
import java.net.http.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import javax.net.ssl.*;
import java.security.cert.X509Certificate;

/**
 * What a POST to claim-service costs the simulator's process, per HTTP client: the JDK's HttpClient (HTTP/2, HTTP/1.1)
 * against Vert.x's on OpenSSL (HTTP/2 by ALPN, HTTP/1.1 keep-alive). Not part of the build; run with the simulator's
 * class path (docs/benchmarks/load-testing.md, "What limits it"):
 *   java -cp "$CP" device-simulator/bench/HttpClientCost.java server 39443 &
 *   java -cp "$CP" device-simulator/bench/HttpClientCost.java jdk-h2|jdk-h1|vertx-h2|vertx 39443 3000 20
 * The server is a Vert.x HTTPS server on OpenSSL with a self-signed certificate answering a claim-sized body, as
 * claim-service (Quarkus, Vert.x) does; the client measures its own process CPU over n requests after n/2 to warm up.
 */
public class HttpClientCost {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("server")) { server(Integer.parseInt(a[1])); return; }
        String mode = a[0]; int port = Integer.parseInt(a[1]); int n = Integer.parseInt(a[2]); int conc = Integer.parseInt(a[3]);
        // warm-up then measure
        run(mode, port, n / 2, conc);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(); long t0 = System.nanoTime();
        run(mode, port, n, conc);
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        jdk = null; vx = null;
        HttpClient stats = HttpClient.newBuilder().sslContext(trustAll()).build();
        String server = stats.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/stats")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("%s: %d requests at concurrency %d: client process CPU %.3f ms per request (wall %.1f s); server since start: %s%n",
            mode, n, conc, cpu / 1e6 / n, wall, server);
        System.exit(0);
    }

    static HttpClient jdk; static io.vertx.core.http.HttpClient vx; static Vertx vertx;

    static void run(String mode, int port, int n, int conc) throws Exception {
        Semaphore slots = new Semaphore(conc); CountDownLatch done = new CountDownLatch(n); AtomicInteger fails = new AtomicInteger();
        byte[] body = "{\"serialNumber\":\"sim-000001\",\"templateName\":\"bench-template\"}".getBytes();
        if (mode.startsWith("jdk") && jdk == null) {
            var b = HttpClient.newBuilder().sslContext(trustAll());
            if (mode.equals("jdk-h1")) b.version(HttpClient.Version.HTTP_1_1);
            jdk = b.build();
        }
        if (mode.startsWith("vertx") && vx == null) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            HttpClientOptions o = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setSslEngineOptions(new OpenSSLEngineOptions()).setKeepAlive(true);
            if (mode.equals("vertx-h2")) o.setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setUseAlpn(true);
            vx = vertx.createHttpClient(o,
                new PoolOptions().setHttp1MaxSize(conc));
        }
        for (int i = 0; i < n; i++) {
            slots.acquire();
            if (jdk != null) {
                HttpRequest r = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/claims"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + "x".repeat(900))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                jdk.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((res, e) -> { if (e != null) fails.incrementAndGet(); slots.release(); done.countDown(); });
            } else {
                vx.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost").setPort(port).setURI("/v1/claims")
                        .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer " + "x".repeat(900)))
                    .compose(req -> req.send(Buffer.buffer(body)).compose(HttpClientResponse::body))
                    .onComplete(ar -> { if (ar.failed()) fails.incrementAndGet(); slots.release(); done.countDown(); });
            }
        }
        done.await();
        if (fails.get() > 0) System.out.println("failures: " + fails.get());
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{ new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String s) {}
            public void checkServerTrusted(X509Certificate[] c, String s) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; } } }, null);
        return ctx;
    }

    static void server(int port) throws Exception {
        Vertx v = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        AtomicInteger conns = new AtomicInteger(); AtomicInteger reqs = new AtomicInteger();
        String claim = "{\"certificatePem\":\"" + "A".repeat(800) + "\",\"privateKey\":\"" + "B".repeat(240) + "\",\"expiresAt\":\"2026-12-03T13:00:00Z\"}";
        v.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(cert.keyCertOptions())
                .setSslEngineOptions(new OpenSSLEngineOptions()))
            .connectionHandler(c -> conns.incrementAndGet())
            .requestHandler(req -> {
                if (req.path().equals("/stats")) {
                    req.response().end("connections " + conns.get() + ", requests " + reqs.get());
                } else {
                    req.body().onSuccess(b -> { reqs.incrementAndGet(); req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(claim); });
                }
            })
            .listen(port).toCompletionStage().toCompletableFuture().get();
        System.out.println("listening");
    }
}
