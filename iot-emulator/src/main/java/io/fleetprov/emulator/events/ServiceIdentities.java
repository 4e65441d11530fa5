package io.fleetprov.emulator.events;

import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.KeyAlgorithm;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Mints the fleetprov services' MQTT identities. With a data directory, each identity's certificate (never its key)
 * is also kept in {@code dataDir/service-identities/}, and registered again when the emulator restarts: the registry
 * lives in memory, and the services, which hold their keys, must still get in after a restart (a Kubernetes pod
 * restart, say). Devices provisioned before a restart are not kept.
 */
public final class ServiceIdentities {

    private static final Instant NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");

    private final Registry registry;
    private final CertificateAuthority ca;
    private final Path directory;

    /** @param dataDir nullable: identities then last only as long as the emulator runs */
    public ServiceIdentities(Registry registry, CertificateAuthority ca, Path dataDir) {
        this.registry = registry;
        this.ca = ca;
        this.directory = dataDir == null ? null : dataDir.resolve("service-identities");
    }

    /**
     * An ACTIVE certificate with a policy allowing it to publish and subscribe to {@code $aws/events/#} and
     * {@code fleetprov/events/#}, and its private key.
     */
    public ServiceIdentity create(String name) {
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        CertificateRecord record = register(ca.issueClientCertificate(keyPair.getPublic(), name, NOT_AFTER), true);
        if (directory != null) {
            try {
                Files.createDirectories(directory);
                Files.writeString(directory.resolve(record.certificateId() + ".pem"), record.certificatePem());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the service identity in " + directory, e);
            }
        }
        return new ServiceIdentity(name, record.certificateId(), record.certificatePem(), Pem.privateKey(keyPair));
    }

    /** Registers the identities kept in the data directory again; returns how many. */
    public int restore() {
        if (directory == null || !Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> kept = files.filter(f -> f.getFileName().toString().endsWith(".pem"))
                    .sorted()
                    .toList();
            for (Path file : kept) {
                // Read back from disk, so not known to be ours: the broker verifies the CA's signature when it
                // connects.
                register(Pem.parseCertificate(Files.readString(file)), false);
            }
            return kept.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service identities in " + directory, e);
        }
    }

    private CertificateRecord register(X509Certificate certificate, boolean issuedHere) {
        return registry.atomically(() -> {
            CertificateRecord record = issuedHere
                    ? registry.certificates().registerIssued(certificate, CertificateStatus.ACTIVE, null)
                    : registry.certificates().register(certificate, CertificateStatus.ACTIVE, null);
            if (registry.policies().find(ServiceIdentity.POLICY_NAME).isEmpty()) {
                registry.policies().create(ServiceIdentity.POLICY_NAME, ServiceIdentity.POLICY_DOCUMENT);
            }
            registry.attachPolicy(ServiceIdentity.POLICY_NAME, record.certificateArn());
            return record;
        });
    }
}
