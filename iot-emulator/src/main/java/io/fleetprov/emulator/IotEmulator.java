package io.fleetprov.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetprov.emulator.broker.MqttBroker;
import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.ClientTls;
import io.fleetprov.emulator.ca.KeyPairPool;
import io.fleetprov.emulator.cognito.CognitoHttpHandler;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.events.ServiceIdentities;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.emulator.events.ThingEvents;
import io.fleetprov.emulator.faults.FaultInjector;
import io.fleetprov.emulator.http.ControlPlane;
import io.fleetprov.emulator.http.EmulatorHttpServer;
import io.fleetprov.emulator.http.SigV4Verifier;
import io.fleetprov.emulator.provisioning.ApiThrottle;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import io.fleetprov.emulator.provisioning.HookUrlScope;
import io.fleetprov.emulator.provisioning.OwnershipTokens;
import io.fleetprov.emulator.provisioning.PreProvisioningHookClient;
import io.fleetprov.emulator.provisioning.ProvisioningClaim;
import io.fleetprov.emulator.registry.Arns;
import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.seed.SeedFile;
import io.fleetprov.emulator.seed.Seeder;
import io.fleetprov.emulator.template.TemplateEngine;
import io.fleetprov.protocol.crypto.AwsLc;
import io.fleetprov.protocol.memory.ProcessMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS side of fleet provisioning, in one process: CA, registry, fleet-provisioning MQTT API over an mTLS
 * broker. Start it with {@link #start(EmulatorConfig)}, stop it with {@link #close()}.
 */
public final class IotEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IotEmulator.class);

    private final EmulatorConfig config;
    private final CertificateAuthority ca;
    private final KeyPairPool keys;
    private final Registry registry;
    private final ApiThrottle throttle;
    private final FleetProvisioningService provisioning;
    private final MqttBroker broker;
    private final FaultInjector faults;
    private final ScheduledExecutorService housekeeping;
    private final EmulatorHttpServer http;
    private final CognitoUserPools cognito;
    private final ServiceIdentities serviceIdentities;

    private IotEmulator(EmulatorConfig config) {
        this.config = config;
        this.ca = config.dataDir() == null
                ? CertificateAuthority.ephemeral(config.clock())
                : CertificateAuthority.persistent(config.dataDir(), config.clock());
        TemplateEngine templates = new TemplateEngine();
        this.registry = new Registry(config.clock(), new Arns(config.region(), config.accountId()), templates);
        // Bound first: Cognito's token issuer is this server's URL, and with port 0 only binding tells the port.
        this.http = EmulatorHttpServer.bind(config.bindHost(), config.httpPort());
        this.cognito = new CognitoUserPools(config.dataDir(), httpUrl(), config.clock(), config.region());
        if (config.seedFile() != null) {
            try {
                Seeder.apply(SeedFile.read(config.seedFile()), registry, cognito);
            } catch (RuntimeException e) {
                http.close(); // a bad seed must not leave the port bound
                throw e;
            }
        }
        this.serviceIdentities = new ServiceIdentities(registry, ca, config.dataDir());
        int restored = serviceIdentities.restore();
        if (restored > 0) {
            LOG.info("{} service identities kept in {} are registered again", restored, config.dataDir());
        }
        this.keys = new KeyPairPool(config.keyAlgorithm(), config.keyPoolSize());
        this.throttle = new ApiThrottle(config.clock(), config.faults().throttle());
        this.provisioning = new FleetProvisioningService(
                registry,
                ca,
                keys,
                templates,
                new OwnershipTokens(config.clock(), config.tokenLifetime()),
                new PreProvisioningHookClient(config.hookHeaders(), new HookUrlScope(config.hookHeaderUrls())),
                throttle,
                config.clock(),
                config.claimLifetime(),
                Duration.ofMillis(config.faults().hookTimeoutMillis()));
        int mqttPort = config.mqttPort() == 0 ? freePort() : config.mqttPort();
        this.broker = MqttBroker.start(
                config.bindHost(), mqttPort, hostNames(config), ca, registry, provisioning, config.clock(), List.of());
        if (config.mqttAlpnPort() >= 0) {
            broker.listenWithAlpnRequired(
                    config.bindHost(), config.mqttAlpnPort() == 0 ? freePort() : config.mqttAlpnPort());
        }
        registry.things()
                .addListener(new ThingEvents(
                        registry.eventConfigurations(), registry.arns(), broker::publishEvent, config.clock()));
        this.faults = new FaultInjector(throttle, provisioning, broker, config.faults());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "emulator-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleWithFixedDelay(this::expireStale, 1, 1, TimeUnit.SECONDS);
        // Clients sign with real time, so signatures are checked against it, not against a test's moved clock.
        http.start(
                ControlPlane.of(this),
                new CognitoHttpHandler(cognito),
                new SigV4Verifier(config.accessKeys(), config.region(), Clock.systemUTC()));
        if (config.dataDir() != null) {
            writeEndpointFiles(config.dataDir());
        }
        LOG.info("iot-emulator MQTT endpoint {} (TLS, client certificate required)", mqttEndpoint());
        LOG.info(
                "iot-emulator HTTP endpoint {} (AWS IoT control plane, Cognito; SigV4 {})",
                httpUrl(),
                config.strictSigV4() ? "verified" : "not verified");
        LOG.info(
                "iot-emulator certificates signed, CSRs checked and key pairs made with {}",
                AwsLc.provider()
                        .map(p -> "AWS-LC (" + p.getName() + " " + p.getVersionStr() + ")")
                        .orElse("Bouncy Castle (AWS-LC does not load on this platform)"));
    }

    public static IotEmulator start(EmulatorConfig config) {
        return new IotEmulator(config);
    }

    public EmulatorConfig config() {
        return config;
    }

    public Registry registry() {
        return registry;
    }

    public FleetProvisioningService provisioning() {
        return provisioning;
    }

    public ApiThrottle throttle() {
        return throttle;
    }

    /** The faults being injected; change them at run time with {@link FaultInjector#update}. */
    public FaultInjector faults() {
        return faults;
    }

    public MqttBroker broker() {
        return broker;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The CA devices must trust to connect to the broker. */
    public String caCertificatePem() {
        return ca.certificatePem();
    }

    /**
     * TLS for a JDK-socket MQTT client of this broker (Paho, for example): presents the given certificate and
     * trusts only the emulator's CA.
     */
    public SSLSocketFactory clientSocketFactory(String certificatePem, String privateKeyPem) {
        return ClientTls.socketFactory(caCertificatePem(), certificatePem, privateKeyPem);
    }

    public String mqttHost() {
        return config.advertisedHost();
    }

    public int mqttPort() {
        return broker.port();
    }

    /** The port that requires ALPN {@code x-amzn-mqtt-ca} (as AWS IoT's 443), or -1 when it is not open. */
    public int mqttAlpnPort() {
        return broker.alpnPort();
    }

    /** host:port, as DescribeEndpoint returns it. */
    public String mqttEndpoint() {
        return mqttHost() + ":" + mqttPort();
    }

    /** The control plane and Cognito, for {@code --endpoint-url} and {@code endpointOverride}. */
    public String httpUrl() {
        return "http://" + config.advertisedHost() + ":" + http.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** The Cognito user pools served on {@link #httpUrl()}; token issuer {@code httpUrl()/<userPoolId>}. */
    public CognitoUserPools cognito() {
        return cognito;
    }

    /** CreateProvisioningClaim: a temporary certificate that may only provision with this template. */
    public ProvisioningClaim createProvisioningClaim(String templateName) {
        return provisioning.createProvisioningClaim(templateName);
    }

    /**
     * Mints credentials for a fleetprov service: an ACTIVE certificate with a policy allowing it to publish and
     * subscribe to {@code $aws/events/#} and {@code fleetprov/events/#}. With a data directory, the identity
     * still works after a restart.
     */
    public ServiceIdentity createServiceIdentity(String name) {
        return serviceIdentities.create(name);
    }

    /**
     * This process's heap (after full collections) and resident set with the MQTT connections it holds: a soak
     * asks before and after its devices connect and divides the growth by the devices ({@code GET
     * /_emulator/memory}).
     */
    public ProcessMemory memory() {
        return ProcessMemory.ofThisProcess(broker.connectedClients().size());
    }

    /** Removes expired ownership tokens' unregistered certificates and expired claims; runs every second. */
    public void expireStale() {
        try {
            provisioning.expireStale();
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed", e);
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        faults.close();
        http.close();
        broker.close();
        keys.close();
    }

    private static List<String> hostNames(EmulatorConfig config) {
        var names = new java.util.ArrayList<>(config.hostNames());
        names.add(config.advertisedHost());
        return names;
    }

    private void writeEndpointFiles(Path dir) {
        try {
            Files.createDirectories(dir);
            Path caFile = dir.resolve("ca.pem");
            Files.writeString(caFile, ca.certificatePem());
            Map<String, Object> endpoints = new LinkedHashMap<>();
            endpoints.put("mqttEndpoint", mqttEndpoint());
            endpoints.put("mqttHost", mqttHost());
            endpoints.put("mqttPort", mqttPort());
            if (mqttAlpnPort() >= 0) {
                endpoints.put("mqttAlpnPort", mqttAlpnPort());
            }
            endpoints.put("caFile", caFile.toAbsolutePath().toString());
            endpoints.put("httpUrl", httpUrl());
            endpoints.put("userPools", userPoolSummaries());
            endpoints.put("region", config.region());
            endpoints.put("accountId", config.accountId());
            // Written aside and moved into place, so that a client waiting for the file never reads half of it.
            Path written = dir.resolve("endpoints.json.tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(written.toFile(), endpoints);
            Files.move(
                    written,
                    dir.resolve("endpoints.json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write endpoint files to " + dir, e);
        }
    }

    private List<Map<String, Object>> userPoolSummaries() {
        return cognito.pools().userPools().stream()
                .map(pool -> {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("id", pool.id());
                    summary.put("name", pool.name());
                    summary.put("issuer", pool.issuer());
                    summary.put(
                            "clients",
                            cognito.pools().appClients(pool.id()).stream()
                                    .map(c -> Map.of("clientId", c.clientId(), "clientName", c.clientName()))
                                    .toList());
                    return summary;
                })
                .toList();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
