package io.fleetprov.testing.quarkus;

import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the emulator in-process for {@code @QuarkusTest}s:
 * {@code @QuarkusTestResource(value = IotEmulatorTestResource.class, initArgs = @ResourceArg(name = "seed",
 * value = "emulator-seed.json"))}. The seed is a class-path resource or a file path. The running emulator is
 * injected into fields annotated {@link InjectIotEmulator}, and these properties are set:
 * {@code fleetprov.emulator.mqtt.host}, {@code fleetprov.emulator.mqtt.port},
 * {@code fleetprov.emulator.mqtt.endpoint}, {@code fleetprov.emulator.ca-file} and
 * {@code fleetprov.emulator.http.url} (control plane and Cognito, for {@code endpointOverride}). With the init
 * argument {@code serviceIdentity=NAME} it also mints a service identity ({@code $aws/events/#},
 * {@code fleetprov/events/#}) and sets {@code fleetprov.emulator.service-identity.cert-file} and
 * {@code ...key-file}. A service whose tests need more (templates with its hook, users, its own property names)
 * subclasses this and overrides {@link #configure} and {@link #seed}, which then decides every property.
 */
public class IotEmulatorTestResource implements QuarkusTestResourceLifecycleManager {

    /** A service identity's files, as {@link #writeServiceIdentity} wrote them. */
    protected record IdentityFiles(String certificateId, Path certificate, Path privateKey) {}

    private Map<String, String> args = Map.of();
    private IotEmulator emulator;
    private Path workDir;
    private Path caFile;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = Map.copyOf(initArgs);
    }

    @Override
    public final Map<String, String> start() {
        try {
            workDir = Files.createTempDirectory("iot-emulator");
            EmulatorConfig.Builder config = EmulatorConfig.builder().forTests();
            String seed = args.get("seed");
            if (seed != null) {
                config.seedFile(seedFile(seed));
            }
            configure(config);
            emulator = IotEmulator.start(config.build());
            caFile = Files.writeString(workDir.resolve("ca.pem"), emulator.caCertificatePem());
            return seed(emulator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adjusts the emulator's configuration before it starts (test defaults and the seed file are set). */
    protected void configure(EmulatorConfig.Builder config) throws IOException {}

    /**
     * Seeds the running emulator; returns properties for the application under test. By default: the
     * {@code fleetprov.emulator.*} properties above, and the service identity if the init arguments ask for one.
     */
    protected Map<String, String> seed(IotEmulator emulator) throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put("fleetprov.emulator.mqtt.host", emulator.mqttHost());
        properties.put("fleetprov.emulator.mqtt.port", Integer.toString(emulator.mqttPort()));
        properties.put("fleetprov.emulator.mqtt.endpoint", emulator.mqttEndpoint());
        properties.put("fleetprov.emulator.ca-file", caFile.toString());
        String serviceIdentity = args.get("serviceIdentity");
        if (serviceIdentity != null) {
            IdentityFiles identity = writeServiceIdentity(serviceIdentity);
            properties.put(
                    "fleetprov.emulator.service-identity.cert-file",
                    identity.certificate().toString());
            properties.put(
                    "fleetprov.emulator.service-identity.key-file",
                    identity.privateKey().toString());
        }
        properties.put("fleetprov.emulator.http.url", emulator.httpUrl());
        return properties;
    }

    /** The emulator's CA certificate, as a PEM file. */
    protected final Path caFile() {
        return caFile;
    }

    /** Mints a service identity and writes its certificate and key next to the CA file. */
    protected final IdentityFiles writeServiceIdentity(String name) throws IOException {
        ServiceIdentity identity = emulator.createServiceIdentity(name);
        Path cert = Files.writeString(workDir.resolve(name + ".pem.crt"), identity.certificatePem());
        Path key = Files.writeString(workDir.resolve(name + ".private.key"), identity.privateKeyPem());
        return new IdentityFiles(identity.certificateId(), cert, key);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                emulator, new TestInjector.AnnotatedAndMatchesType(InjectIotEmulator.class, IotEmulator.class));
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private Path seedFile(String seed) throws IOException {
        Path path = Path.of(seed);
        if (Files.isRegularFile(path)) {
            return path;
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(seed)) {
            if (in == null) {
                throw new IllegalArgumentException("seed " + seed + " is neither a file nor a class-path resource");
            }
            Path copy = workDir.resolve("seed.json");
            Files.copy(in, copy);
            return copy;
        }
    }
}
