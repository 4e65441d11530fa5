package io.fleetprov.simulator.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.protocol.claim.ClaimRequest;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.simulator.EmulatorClaims;
import io.fleetprov.simulator.client.DeviceClient;
import io.fleetprov.simulator.client.DeviceException;
import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.client.FlowListener;
import io.fleetprov.simulator.client.FlowOptions;
import io.fleetprov.simulator.client.MqttTarget;
import io.fleetprov.simulator.client.ProvisionedDevice;
import io.fleetprov.simulator.client.ProvisioningFlow;
import io.fleetprov.testing.junit.IotEmulatorExtension;
import io.vertx.core.Vertx;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trusted-user claim source. The Cognito half is real: InitiateAuth against the emulator's user pool through
 * the SDK, as against Amazon Cognito. {@code POST /v1/claims} is answered here by a stand-in that speaks
 * claim-service's contract (Bearer token in, 201 claim bundle or problem+json out) and mints each claim from the
 * emulator, so refusals can be provoked at will; the simulator never depends on claim-service's code. The real
 * claim-service is driven by this same source in {@code ./fleetprov demo} (local-stack), which CI runs.
 */
class TrustedUserClaimSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Installer-Passw0rd!";

    @RegisterExtension
    static IotEmulatorExtension emulatorExtension = new IotEmulatorExtension();

    private static IotEmulator emulator;
    private static String clientId;
    private static HttpServer claimService;
    private static final List<String> bearers = new CopyOnWriteArrayList<>();
    private static final Map<String, String> traceparents = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Integer> shed = new java.util.concurrent.ConcurrentHashMap<>();
    private static Vertx vertx;
    private static ExecutorService cpu;

    @BeforeAll
    static void start() throws IOException {
        emulator = emulatorExtension.get();
        EmulatorClaims.installTemplate(emulator);
        var cognito = emulator.cognito();
        String poolId = cognito.pools().createUserPool("installers").id();
        clientId = cognito.pools().createAppClient(poolId, "installer-app").clientId();
        cognito.users().adminCreateUser(poolId, "alice", null, Map.of("email", "alice@example.com"));
        cognito.users().adminSetUserPassword(poolId, "alice", PASSWORD, true);
        cognito.users().createGroup(poolId, "installer");
        cognito.users().adminAddUserToGroup(poolId, "alice", "installer");

        claimService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        claimService.createContext("/v1/claims", TrustedUserClaimSourceIT::claims);
        claimService.start();
        vertx = Vertx.vertx();
        cpu = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        claimService.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
        cpu.shutdownNow();
    }

    /** claim-service's contract: 401 without an installer's id token, 403 for a refused serial, else 201. */
    private static void claims(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        ClaimRequest body = PayloadCodec.json().decode(exchange.getRequestBody().readAllBytes(), ClaimRequest.class);
        if (!"POST".equals(exchange.getRequestMethod())
                || authorization == null
                || !authorization.startsWith("Bearer ")) {
            respond(exchange, 401, Map.of("title", "Unauthorized"));
            return;
        }
        String token = authorization.substring("Bearer ".length());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        if (!"id".equals(claims.path("token_use").asText())
                || !"alice".equals(claims.path("cognito:username").asText())
                || !claims.path("cognito:groups").toString().contains("installer")) {
            respond(exchange, 403, Map.of("title", "Not an installer"));
            return;
        }
        bearers.add(token);
        String serial = body.serialNumber();
        String traceparent = exchange.getRequestHeaders().getFirst(TraceIds.TRACEPARENT);
        if (traceparent != null) {
            traceparents.put(serial, traceparent);
        }
        if (serial.startsWith("refused-")) {
            respond(exchange, 403, Map.of("title", "Serial number not allowed"));
            return;
        }
        // claim-service beyond fleetprov.claims.max-in-flight: 503 service-busy with Retry-After, here once per serial.
        if (serial.startsWith("busy-") && shed.merge(serial, 1, Integer::sum) == 1) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            respond(exchange, 503, Map.of("title", "Service busy"));
            return;
        }
        ProvisioningClaim claim = emulator.createProvisioningClaim(body.templateName());
        respond(
                exchange,
                201,
                new ClaimResponse(
                        claim.certificateId(),
                        claim.certificatePem(),
                        claim.privateKeyPem(),
                        null,
                        claim.expiration(),
                        claim.templateName(),
                        emulator.mqttEndpoint()));
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = PayloadCodec.json().encode(body);
        exchange.getResponseHeaders()
                .add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static TrustedUserClaimSource source(String password) {
        return source(
                password,
                URI.create("http://127.0.0.1:" + claimService.getAddress().getPort()),
                null);
    }

    private static TrustedUserClaimSource source(String password, URI claimServiceUrl, TrustOptions trust) {
        AwsClients aws = new AwsClients(URI.create(emulator.httpUrl()), "us-east-1", true, 4);
        return new TrustedUserClaimSource(
                vertx,
                aws.cognito(),
                new TrustedUserClaimSource.Settings(
                        clientId,
                        "alice",
                        password,
                        claimServiceUrl,
                        EmulatorClaims.TEMPLATE,
                        false,
                        Duration.ofSeconds(10)),
                trust,
                OpenSSLEngineOptions.isAvailable());
    }

    /** claim-service over HTTPS with a private CA, as the demo runs it ({@code --claim-service-ca}). */
    @Test
    void overHttpsOnlyTheGivenCaIsTrustedAndTheHostNameIsChecked(@TempDir Path dir) throws Exception {
        KeyPair caKey = DeviceKeyType.EC_P256.generate();
        X509Certificate ca = certificate("CN=claim-service test CA", caKey, "CN=claim-service test CA", caKey, null);
        KeyPair serverKey = DeviceKeyType.EC_P256.generate();
        X509Certificate server =
                certificate("CN=claim-service test CA", caKey, "CN=claim-service", serverKey, "localhost");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverKey.getPrivate(), new char[0], new X509Certificate[] {server, ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/v1/claims", TrustedUserClaimSourceIT::claims);
        https.start();
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(
                caPem,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(ca.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        int port = https.getAddress().getPort();
        try {
            try (TrustedUserClaimSource source =
                    source(PASSWORD, URI.create("https://localhost:" + port), TrustedUserClaimSource.trusting(caPem))) {
                assertThat(source.claim("tls-1").get(10, TimeUnit.SECONDS).certificateId())
                        .isNotBlank();
            }
            // The JVM's default CAs do not include this one.
            try (TrustedUserClaimSource source = source(PASSWORD, URI.create("https://localhost:" + port), null)) {
                assertThatThrownBy(() -> source.claim("tls-2").get(10, TimeUnit.SECONDS))
                        .satisfies(e -> assertThat(DeviceClient.unwrap(e))
                                .isInstanceOfSatisfying(
                                        DeviceException.class,
                                        d -> assertThat(d.errorCode()).isEqualTo(DeviceException.CLIENT_ERROR)));
            }
            // The certificate names localhost, not the address.
            try (TrustedUserClaimSource source =
                    source(PASSWORD, URI.create("https://127.0.0.1:" + port), TrustedUserClaimSource.trusting(caPem))) {
                assertThatThrownBy(() -> source.claim("tls-3").get(10, TimeUnit.SECONDS))
                        .satisfies(e -> assertThat(DeviceClient.unwrap(e))
                                .isInstanceOfSatisfying(
                                        DeviceException.class,
                                        d -> assertThat(d.errorCode()).isEqualTo(DeviceException.CLIENT_ERROR)));
            }
        } finally {
            https.stop(0);
        }
    }

    private static X509Certificate certificate(
            String issuer, KeyPair issuerKey, String subject, KeyPair subjectKey, String dnsName) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject),
                subjectKey.getPublic());
        if (dnsName == null) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } else {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    @Test
    void signsInOnceAndProvisionsDevicesWithTheClaimsItIsGiven() throws Exception {
        bearers.clear();
        var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false);
        var flow = new ProvisioningFlow(
                vertx, target, FlowOptions.defaults(EmulatorClaims.TEMPLATE).withTimeout(Duration.ofSeconds(15)), cpu);
        try (TrustedUserClaimSource source = source(PASSWORD)) {
            for (String serial : List.of("tu-1", "tu-2")) {
                ProvisionedDevice device = flow.provision(serial, source, System.nanoTime(), FlowListener.NONE)
                        .get(30, TimeUnit.SECONDS);
                assertThat(device.thingName()).isEqualTo("device-" + serial);
                assertThat(emulator.registry().things().find("device-" + serial))
                        .isPresent();
            }
            // Each device's claim request starts its own trace, which the source can name for the report.
            for (String serial : List.of("tu-1", "tu-2")) {
                assertThat(TraceIds.traceIdOf(traceparents.get(serial))).isEqualTo(source.traceId(serial));
            }
            assertThat(source.traceId("tu-1")).isNotEqualTo(source.traceId("tu-2"));
        }
        // One InitiateAuth: the id token is reused until shortly before it expires.
        assertThat(bearers).hasSize(2);
        assertThat(bearers.get(0)).isEqualTo(bearers.get(1));
    }

    @Test
    void aShedClaimRequestCarriesItsRetryAfterAndTheDeviceIsProvisionedOnTheRetry() throws Exception {
        try (TrustedUserClaimSource source = source(PASSWORD)) {
            assertThatThrownBy(() -> source.claim("busy-1").get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(DeviceClient.unwrap(e))
                            .isInstanceOfSatisfying(DeviceException.class, d -> {
                                assertThat(d.statusCode()).isEqualTo(503);
                                assertThat(d.isThrottling()).isTrue();
                                assertThat(d.retryAfter()).contains(Duration.ofSeconds(1));
                            }));

            var target = new MqttTarget("localhost", emulator.mqttPort(), emulator.caCertificatePem(), false);
            var flow = new ProvisioningFlow(
                    vertx,
                    target,
                    FlowOptions.defaults(EmulatorClaims.TEMPLATE).withTimeout(Duration.ofSeconds(15)),
                    cpu);
            java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger();
            ProvisionedDevice device = flow.provision("busy-2", source, System.nanoTime(), new FlowListener() {
                        @Override
                        public void throttled(io.fleetprov.simulator.client.Phase phase) {
                            throttled.incrementAndGet();
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            // Shed once, retried after the wait it was given, provisioned: nothing failed.
            assertThat(device.thingName()).isEqualTo("device-busy-2");
            assertThat(throttled).hasValue(1);
            assertThat(shed).containsEntry("busy-2", 2);
        }
    }

    @Test
    void aWrongPasswordFailsWithCognitosErrorCode() {
        try (TrustedUserClaimSource source = source("Wrong-Passw0rd!")) {
            assertThatThrownBy(() -> source.claim("tu-x").get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(DeviceClient.unwrap(e))
                            .isInstanceOfSatisfying(
                                    DeviceException.class,
                                    d -> assertThat(d.errorCode()).isEqualTo("NotAuthorizedException")));
        }
    }

    @Test
    void aRefusalByClaimServiceIsClassifiedByStatusWithItsProblemTitle() {
        try (TrustedUserClaimSource source = source(PASSWORD)) {
            assertThatThrownBy(() -> source.claim("refused-1").get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(DeviceClient.unwrap(e))
                            .isInstanceOfSatisfying(DeviceException.class, d -> {
                                assertThat(d.errorCode()).isEqualTo("HTTP403");
                                assertThat(d.statusCode()).isEqualTo(403);
                                assertThat(d.getMessage()).contains("Serial number not allowed");
                            }));
        }
    }

    @Test
    void claimBundlesAreParsedFromClaimServicesContract() {
        byte[] golden = Contracts.claimResponse();
        JsonNode expected = Contracts.tree(golden);
        ClaimBundle bundle = TrustedUserClaimSource.parse(golden);
        assertThat(bundle.certificateId())
                .isEqualTo(expected.get("certificateId").textValue());
        assertThat(bundle.certificatePem())
                .isEqualTo(expected.get("certificatePem").textValue());
        assertThat(bundle.privateKeyPem()).isEqualTo(expected.get("privateKey").textValue());
        assertThat(bundle.expiresAt()).hasToString(expected.get("expiresAt").textValue());
        assertThat(bundle.templateName()).isEqualTo(expected.get("templateName").textValue());
        assertThat(bundle.iotEndpoint()).isEqualTo(expected.get("iotEndpoint").textValue());
        assertThat(bundle.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void claimRequestsAreWrittenAsClaimServicesContract() {
        ClaimRequest golden = PayloadCodec.json().decode(Contracts.claimRequest(), ClaimRequest.class);
        assertThat(Contracts.tree(PayloadCodec.json().encode(golden)))
                .isEqualTo(Contracts.tree(Contracts.claimRequest()));
    }

    @Test
    void anUnreadableClaimIsAnInvalidClaimResponse() {
        assertThatThrownBy(() -> TrustedUserClaimSource.parse(
                        "{\"certificateId\":\"abc\",\"expiresAt\":\"tomorrow\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidClaimResponse"));
    }
}
