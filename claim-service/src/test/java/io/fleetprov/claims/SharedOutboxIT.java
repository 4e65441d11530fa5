package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.protocol.event.EventSignatureException;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.testing.ServiceProcess;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.TestTemplates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/**
 * Two packaged claim-service processes on one PostgreSQL, each relaying the shared outbox with its own MQTT
 * connections: claims and hook calls are spread over both, and a subscriber on {@code fleetprov/events/+} receives
 * every event exactly once, signed by the one key both share. {@code FOR UPDATE SKIP LOCKED} gives each outbox row
 * to one relay; the redelivery delay is long enough here that only a lost row could be sent twice.
 */
class SharedOutboxIT {

    private static final String TEMPLATE = "fleetprov-device";
    private static final String HOOK_HEADER = "X-Fleetprov-Hook-Secret";
    private static final String INSTALLER = "installer-shared";
    private static final String PASSWORD = "Installer-Passw0rd!";
    private static final String KID = "claim-service-shared";
    private static final int CLAIMS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private TestDatabase database;
    private IotEmulator emulator;
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private MqttClient listener;
    private final String hookSecret = UUID.randomUUID().toString();
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.start(Files.createDirectory(work.resolve("pg")), 0, "claims", null);
        emulator = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .hookHeader(HOOK_HEADER, hookSecret)
                .build());
        String poolId = emulator.cognito()
                .pools()
                .createUserPool("us-east-1_shared", "installers")
                .id();
        clientId = emulator.cognito()
                .pools()
                .createAppClient(poolId, "installer-app")
                .clientId();
        seedInstaller(emulator.cognito(), poolId);

        ServiceIdentity identity = emulator.createServiceIdentity("claim-service");
        Path key = work.resolve("event-signing-key.pem");
        Files.copy(EventListener.SIGNING_KEY, key);

        Map<String, String> properties = new HashMap<>(database.properties());
        properties.put("quarkus.oidc.auth-server-url", emulator.httpUrl() + "/" + poolId);
        properties.put("quarkus.oidc.client-id", clientId);
        properties.put("fleetprov.claims.default-template", TEMPLATE);
        properties.put("fleetprov.claims.templates-by-group.installer", TEMPLATE);
        properties.put("fleetprov.quota.claims-per-minute", "1000");
        properties.put("fleetprov.quota.outstanding", "1000");
        properties.put("fleetprov.aws.region", "us-east-1");
        properties.put("fleetprov.aws.endpoint-override", emulator.httpUrl());
        properties.put("fleetprov.aws.iot-endpoint", emulator.mqttEndpoint());
        properties.put("aws.accessKeyId", "AKIDSHAREDOUTBOX");
        properties.put("aws.secretAccessKey", "shared-outbox-test-secret");
        properties.put("fleetprov.hook.secret", hookSecret);
        // Long enough that a slow machine never re-sends an event only because its echo is late.
        properties.put("fleetprov.events.redeliver-after", "PT60S");
        properties.put("fleetprov.events.relay-interval", "0.2s");
        properties.put("fleetprov.events.signing-key-file", key.toString());
        properties.put("fleetprov.events.kid", KID);
        properties.put("mp.messaging.outgoing.fleet-events.host", emulator.mqttHost());
        properties.put("mp.messaging.outgoing.fleet-events.port", Integer.toString(emulator.mqttPort()));
        properties.put(
                "quarkus.tls.mqtt.key-store.pem.0.cert",
                Files.writeString(work.resolve("claim.pem.crt"), identity.certificatePem())
                        .toString());
        properties.put(
                "quarkus.tls.mqtt.key-store.pem.0.key",
                Files.writeString(work.resolve("claim.private.key"), identity.privateKeyPem())
                        .toString());
        properties.put(
                "quarkus.tls.mqtt.trust-store.pem.certs",
                Files.writeString(work.resolve("ca.pem"), emulator.caCertificatePem())
                        .toString());
        for (String name : List.of("a", "b")) {
            replicas.add(new ServiceProcess(
                    "claim-service-" + name, properties, Path.of("target", "shared-outbox-it-" + name + ".log")));
        }
        // The template's hook is replica a; the test also calls replica b's hook endpoint itself.
        emulator.registry()
                .templates()
                .create(
                        TEMPLATE,
                        null,
                        TestTemplates.deviceTemplate(""),
                        true,
                        TestTemplates.ROLE,
                        new ProvisioningTemplate.PreProvisioningHook(
                                replicas.get(0).baseUrl() + "/v1/hooks/pre-provisioning", "2020-04-01"),
                        null);
        for (ServiceProcess replica : replicas) {
            replica.start(Duration.ofSeconds(120));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.disconnectForcibly(100, 100);
            listener.close(true);
        }
        replicas.forEach(ServiceProcess::close);
        if (emulator != null) {
            emulator.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void everyEventOfBothReplicasReachesTheBrokerExactlyOnce() throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        subscribe(received, refused);
        String token = signIn();

        for (int i = 0; i < CLAIMS; i++) {
            ServiceProcess replica = replicas.get(i % 2);
            String serial = "SN-shared-" + i;
            String claim = claim(replica, token, serial);
            // The hook through the other replica: the claim's two events come from different processes.
            hook(replicas.get((i + 1) % 2), claim, serial);
        }

        List<String> written = outboxEventIds();
        assertThat(written).hasSize(2 * CLAIMS);
        await().atMost(Duration.ofSeconds(90)).until(() -> received.keySet().containsAll(written));
        await().atMost(Duration.ofSeconds(30)).until(() -> unconfirmed() == 0);

        assertThat(refused).isEmpty();
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(received)
                .allSatisfy((id, copies) ->
                        assertThat(copies.get()).as("deliveries of %s", id).isEqualTo(1));
        assertThat(maxAttempts()).as("no row was sent twice").isEqualTo(1);
    }

    private String claim(ServiceProcess replica, String token, String serial) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/claims"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("serialNumber", serial))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("certificateId").asText();
    }

    private void hook(ServiceProcess replica, String claimCertificateId, String serial) throws Exception {
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        Map<String, Object> body = Map.of(
                "claimCertificateId",
                claimCertificateId,
                "certificateId",
                HexFormat.of().formatHex(id),
                "templateArn",
                "arn:aws:iot:us-east-1:000000000000:provisioningtemplate/" + TEMPLATE,
                "clientId",
                serial,
                "parameters",
                Map.of("SerialNumber", serial));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/hooks/pre-provisioning"))
                        .header(HOOK_HEADER, hookSecret)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("allowProvisioning").asBoolean())
                .isTrue();
    }

    private void subscribe(Map<String, AtomicInteger> received, List<String> refused) throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("shared-outbox-listener");
        listener = new MqttClient(
                "ssl://localhost:" + emulator.mqttPort(), "listener-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setSocketFactory(emulator.clientSocketFactory(identity.certificatePem(), identity.privateKeyPem()));
        listener.connect(options);
        EventVerifier verifier = EventListener.verifier(KID);
        listener.subscribe("fleetprov/events/+", 1, (topic, message) -> {
            try {
                // The relay sends signed batches; a single signed event is what an earlier version sent.
                List<byte[]> envelopes = EventVerifier.isBatch(message.getPayload())
                        ? verifier.verifyBatch(message.getPayload()).envelopes()
                        : List.of(verifier.verify(message.getPayload()).envelope());
                for (byte[] envelope : envelopes) {
                    JsonNode event = JSON.readTree(envelope);
                    received.computeIfAbsent(event.get("eventId").asText(), id -> new AtomicInteger())
                            .incrementAndGet();
                }
            } catch (EventSignatureException e) {
                refused.add(topic + ": " + e.getMessage());
            }
        });
    }

    private String signIn() {
        try (CognitoIdentityProviderAsyncClient cognito = CognitoIdentityProviderAsyncClient.builder()
                .endpointOverride(URI.create(emulator.httpUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build()) {
            return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .clientId(clientId)
                            .authParameters(Map.of("USERNAME", INSTALLER, "PASSWORD", PASSWORD)))
                    .join()
                    .authenticationResult()
                    .accessToken();
        }
    }

    private static void seedInstaller(CognitoUserPools pools, String poolId) {
        pools.users().createGroup(poolId, "installer");
        pools.users().adminCreateUser(poolId, INSTALLER, null, Map.of());
        pools.users().adminSetUserPassword(poolId, INSTALLER, PASSWORD, true);
        pools.users().adminAddUserToGroup(poolId, INSTALLER, "installer");
    }

    private List<String> outboxEventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.superuser();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select event_id from outbox")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private long unconfirmed() throws Exception {
        return single("select count(*) from outbox where confirmed_at is null");
    }

    private long maxAttempts() throws Exception {
        return single("select max(attempts) from outbox");
    }

    private long single(String sql) throws Exception {
        try (Connection c = database.superuser();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
