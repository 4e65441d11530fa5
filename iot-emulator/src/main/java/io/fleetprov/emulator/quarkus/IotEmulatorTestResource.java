package io.fleetprov.emulator.quarkus;

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
 * {@code fleetprov.emulator.mqtt.endpoint} and {@code fleetprov.emulator.ca-file}. With the init argument
 * {@code serviceIdentity=NAME} it also mints a service identity ({@code $aws/events/#}, {@code fleetprov/events/#})
 * and sets {@code fleetprov.emulator.service-identity.cert-file} and {@code ...key-file}.
 * {@code fleetprov.emulator.mqtt.endpoint}, {@code fleetprov.emulator.ca-file} and
 * {@code fleetprov.emulator.http.url} (control plane and Cognito, for {@code endpointOverride}).
 */
public class IotEmulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> args = Map.of();
    private IotEmulator emulator;
    private Path workDir;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            workDir = Files.createTempDirectory("iot-emulator");
            EmulatorConfig.Builder config = EmulatorConfig.builder().forTests();
            String seed = args.get("seed");
            if (seed != null) {
                config.seedFile(seedFile(seed));
            }
            emulator = IotEmulator.start(config.build());
            Path caFile = Files.writeString(workDir.resolve("ca.pem"), emulator.caCertificatePem());
            Map<String, String> properties = new HashMap<>();
            properties.put("fleetprov.emulator.mqtt.host", emulator.mqttHost());
            properties.put("fleetprov.emulator.mqtt.port", Integer.toString(emulator.mqttPort()));
            properties.put("fleetprov.emulator.mqtt.endpoint", emulator.mqttEndpoint());
            properties.put("fleetprov.emulator.ca-file", caFile.toString());
            String serviceIdentity = args.get("serviceIdentity");
            if (serviceIdentity != null) {
                ServiceIdentity identity = emulator.createServiceIdentity(serviceIdentity);
                Path cert = Files.writeString(workDir.resolve("service.pem.crt"), identity.certificatePem());
                Path key = Files.writeString(workDir.resolve("service.private.key"), identity.privateKeyPem());
                properties.put("fleetprov.emulator.service-identity.cert-file", cert.toString());
                properties.put("fleetprov.emulator.service-identity.key-file", key.toString());
            }
            properties.put("fleetprov.emulator.http.url", emulator.httpUrl());
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
