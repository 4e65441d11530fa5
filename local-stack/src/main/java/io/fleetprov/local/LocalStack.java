package io.fleetprov.local;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.events.ServiceIdentity;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine: the emulator (in this process), a real PostgreSQL from Maven artifacts (in this
 * process), and claim-service and audit-service as child JVMs on free ports, wired to each other.
 */
final class LocalStack implements AutoCloseable {

    private static final String HOOK_SECRET_HEADER = "X-Fleetprov-Hook-Secret";
    private static final String AUDIT_ROLE = "audit_app";
    /** claim-service's claim requests at once (its default: 24). */
    private static final int CLAIMS_IN_FLIGHT = 48;
    /** Of them, calling CreateProvisioningClaim at once (its default: 16). */
    private static final int CLAIMS_CALLING_AWS = 32;
    /** Connections of claim-service's pool the claim path never takes: the hook's and the jobs' (as by default). */
    private static final int HOOK_CONNECTIONS = 8;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Path stateDir;
    private final String installerPassword = secret(12);
    private final String auditorPassword = secret(12);
    private IotEmulator emulator;
    private Database database;
    private ServiceProcess claimService;
    private ServiceProcess auditService;
    private HttpsFiles https;
    private String installerAppUrl;
    private String claimServiceHttpsUrl;

    private LocalStack(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Starts everything and waits until both services report ready. */
    static LocalStack start(Path root, Path stateDir) throws Exception {
        return start(root, stateDir, Map.of());
    }

    /** As {@link #start(Path, Path)}, with more system properties for claim-service (the bench's hook log). */
    static LocalStack start(Path root, Path stateDir, Map<String, String> extraClaimServiceProperties)
            throws Exception {
        LocalStack stack = new LocalStack(stateDir);
        try {
            stack.startAll(root, extraClaimServiceProperties);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path root, Map<String, String> extraClaimServiceProperties) throws Exception {
        Files.createDirectories(stateDir);
        int claimPort = freePort();
        int claimHttpsPort = freePort();
        int auditPort = freePort();
        String hookSecret = secret(24);

        Path seed = DemoSeed.write(
                stateDir.resolve("seed.json"), claimPort, claimHttpsPort, installerPassword, auditorPassword);
        emulator = track(IotEmulator.start(EmulatorConfig.builder()
                .dataDir(stateDir.resolve("emulator"))
                .mqttPort(0)
                .httpPort(0)
                .keyAlgorithm(KeyAlgorithm.EC_P256)
                .seedFile(seed)
                .hookHeader(HOOK_SECRET_HEADER, hookSecret)
                // Only claim-service's hook gets the secret, not a URL some other template names.
                .hookHeaderUrl(DemoSeed.hookUrl(claimPort))
                .build()));
        // audit-service writes through a role that may only read and insert; Flyway migrates as the owner.
        String auditPassword = secret(12);
        database = track(
                Database.start(stateDir.resolve("postgres"), Map.of(AUDIT_ROLE, auditPassword), "claims", "audit"));

        Path mqttDir = stateDir.resolve("mqtt");
        Files.createDirectories(mqttDir);
        Path caFile = stateDir.resolve("emulator").resolve("ca.pem");
        ServiceFiles claimIdentity = ServiceFiles.write(mqttDir, emulator.createServiceIdentity("claim-service"));
        ServiceFiles auditIdentity = ServiceFiles.write(mqttDir, emulator.createServiceIdentity("audit-service"));
        String issuer = emulator.httpUrl() + "/" + DemoSeed.USER_POOL_ID;
        // claim-service signs every event; audit-service trusts this one public key under the same kid.
        EventSigningKey eventKey = EventSigningKey.generate(stateDir.resolve("keys"));

        Map<String, String> claimProps = new LinkedHashMap<>();
        claimProps.put("quarkus.http.port", Integer.toString(claimPort));
        claimProps.put("quarkus.datasource.jdbc.url", database.jdbcUrl("claims"));
        claimProps.put("quarkus.datasource.username", Database.USER);
        claimProps.put("quarkus.oidc.auth-server-url", issuer);
        claimProps.put("quarkus.oidc.client-id", DemoSeed.APP_CLIENT_ID);
        claimProps.put("fleetprov.claims.default-template", DemoSeed.TEMPLATE);
        // One installer provisions the whole demo fleet: no per-installer quotas (0), which are meant for people; its
        // claims then also skip the installer's lock, which only makes quota decisions atomic.
        claimProps.put("fleetprov.quota.claims-per-minute", "0");
        claimProps.put("fleetprov.quota.outstanding", "0");
        // The service-wide limit keeps production under the AWS account's CreateProvisioningClaim quota; the
        // emulator has none, and at the default 50 a second the limit, not the system, was the local ceiling.
        claimProps.put("fleetprov.aws.create-claim.rate-limit", "100000");
        // The defaults (24 claim requests at once, 16 of them calling AWS) fit one production replica on its own core,
        // where a claim takes AWS's ~100 ms. Here the claim shares the machine with the emulator, the simulator,
        // audit-service and PostgreSQL, and under load its latency is that machine's CPU queue: at 198 devices/s,
        // which the system sustained (197.5/s, p99 1.9 s), 24 shed 36 claims, so a step the system held did not count.
        // Twice the room, sized as the defaults are: the pool larger by the hook's budget, the bulkhead's queue as deep
        // as the claims in flight that may not call at once.
        claimProps.put("fleetprov.claims.max-in-flight", Integer.toString(CLAIMS_IN_FLIGHT));
        claimProps.put("quarkus.datasource.jdbc.max-size", Integer.toString(CLAIMS_IN_FLIGHT + HOOK_CONNECTIONS));
        claimProps.put("fleetprov.aws.create-claim.bulkhead", Integer.toString(CLAIMS_CALLING_AWS));
        claimProps.put(
                "fleetprov.aws.create-claim.bulkhead-waiting-queue",
                Integer.toString(CLAIMS_IN_FLIGHT - CLAIMS_CALLING_AWS));
        claimProps.put("fleetprov.aws.endpoint-override", emulator.httpUrl());
        claimProps.put("fleetprov.aws.region", emulator.config().region());
        claimProps.put("fleetprov.aws.iot-endpoint", emulator.mqttEndpoint());
        claimProps.put("fleetprov.hook.secret-header", HOOK_SECRET_HEADER);
        claimProps.put("mp.messaging.outgoing.fleet-events.host", emulator.mqttHost());
        claimProps.put("mp.messaging.outgoing.fleet-events.port", Integer.toString(emulator.mqttPort()));
        claimProps.put(
                "quarkus.tls.mqtt.key-store.pem.0.cert",
                claimIdentity.certificate().toString());
        claimProps.put(
                "quarkus.tls.mqtt.key-store.pem.0.key",
                claimIdentity.privateKey().toString());
        claimProps.put("quarkus.tls.mqtt.trust-store.pem.certs", caFile.toString());
        claimProps.put(
                "fleetprov.events.signing-key-file", eventKey.privateKeyFile().toString());
        claimProps.put("fleetprov.events.kid", EventSigningKey.KID);
        claimProps.putAll(extraClaimServiceProperties);
        // HTTPS for installers (the API and the installer app) through the service's "https" profile, with a
        // certificate from the local CA; the hook and health checks stay on plain HTTP on the loopback port.
        https = HttpsFiles.issue(stateDir.resolve("https"), "claim-service");
        installerAppUrl = "https://localhost:" + claimHttpsPort + "/app";
        claimServiceHttpsUrl = "https://localhost:" + claimHttpsPort;
        Map<String, String> claimEnv = new LinkedHashMap<>();
        claimEnv.put("FLEETPROV_HOOK_SECRET", hookSecret);
        claimEnv.put("AWS_ACCESS_KEY_ID", "local");
        claimEnv.put("AWS_SECRET_ACCESS_KEY", "local");
        claimEnv.put("AWS_REGION", emulator.config().region());
        claimEnv.put("QUARKUS_PROFILE", "prod,https");
        claimEnv.put("FLEETPROV_HTTPS_PORT", Integer.toString(claimHttpsPort));
        claimEnv.put("FLEETPROV_HTTPS_CERT_FILE", https.certificate().toString());
        claimEnv.put("FLEETPROV_HTTPS_KEY_FILE", https.privateKey().toString());
        claimService = track(ServiceProcess.start(
                "claim-service",
                root.resolve("claim-service/target/quarkus-app/quarkus-run.jar"),
                claimPort,
                claimProps,
                claimEnv,
                stateDir.resolve("logs/claim-service.log")));

        Map<String, String> auditProps = new LinkedHashMap<>();
        auditProps.put("quarkus.http.port", Integer.toString(auditPort));
        auditProps.put("fleetprov.db.url", database.jdbcUrl("audit"));
        auditProps.put("fleetprov.db.username", AUDIT_ROLE);
        auditProps.put("fleetprov.db.owner-username", Database.USER);
        auditProps.put("fleetprov.oidc.issuer", issuer);
        auditProps.put("fleetprov.mqtt.host", emulator.mqttHost());
        auditProps.put("fleetprov.mqtt.port", Integer.toString(emulator.mqttPort()));
        auditProps.put("fleetprov.mqtt.ca-file", caFile.toString());
        auditProps.put("fleetprov.mqtt.cert-file", auditIdentity.certificate().toString());
        auditProps.put("fleetprov.mqtt.key-file", auditIdentity.privateKey().toString());
        auditProps.put(
                "audit.events.trusted-keys." + EventSigningKey.KID,
                eventKey.publicKeyFile().toString());
        // The chain head's signed checkpoints live outside the database (README, "Checkpoints").
        auditProps.put(
                "audit.checkpoint.directory",
                stateDir.resolve("audit-checkpoints").toString());
        auditService = track(ServiceProcess.start(
                "audit-service",
                root.resolve("audit-service/target/quarkus-app/quarkus-run.jar"),
                auditPort,
                auditProps,
                Map.of("FLEETPROV_DB_PASSWORD", auditPassword),
                stateDir.resolve("logs/audit-service.log")));

        // Generous: on a busy machine claim-service was seen to need 138 s; this only bounds a hang.
        claimService.awaitReady(Duration.ofSeconds(300));
        auditService.awaitReady(Duration.ofSeconds(300));
    }

    IotEmulator emulator() {
        return emulator;
    }

    Database database() {
        return database;
    }

    ServiceProcess claimService() {
        return claimService;
    }

    ServiceProcess auditService() {
        return auditService;
    }

    /** The local CA's certificate that browsers and clients trust for claim-service's HTTPS. */
    Path httpsCaFile() {
        return https.caFile();
    }

    /** claim-service's HTTPS base URL (the API installers use). */
    String claimServiceHttpsUrl() {
        return claimServiceHttpsUrl;
    }

    String installerAppUrl() {
        return installerAppUrl;
    }

    Path stateDir() {
        return stateDir;
    }

    /** PostgreSQL's postmaster, whose children are its backends: read from {@code postmaster.pid} in its data. */
    long postgresPid() throws IOException {
        return Long.parseLong(Files.readAllLines(stateDir.resolve("postgres").resolve("postmaster.pid"))
                .get(0)
                .trim());
    }

    String installerPassword() {
        return installerPassword;
    }

    String auditorPassword() {
        return auditorPassword;
    }

    /** Stops everything started, newest first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("fleetprov: stopping " + started.get(i) + " failed: " + e.getMessage());
            }
        }
        started.clear();
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String secret(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** A service identity's certificate and key as files (the key readable by its owner only). */
    record ServiceFiles(Path certificate, Path privateKey) {
        static ServiceFiles write(Path dir, ServiceIdentity identity) throws IOException {
            Path certificate = Files.writeString(dir.resolve(identity.name() + ".pem.crt"), identity.certificatePem());
            Path key = dir.resolve(identity.name() + ".private.key");
            Files.deleteIfExists(key);
            Files.createFile(
                    key,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, identity.privateKeyPem());
            return new ServiceFiles(certificate, key);
        }
    }
}
