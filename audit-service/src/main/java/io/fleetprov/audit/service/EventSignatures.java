package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.protocol.event.EventKeys;
import io.fleetprov.protocol.event.EventVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The signers audit-service believes: {@code audit.events.trusted-keys.<kid>}, each a PEM public key or the file
 * holding one, and the {@code <kid>.pem} files of {@code audit.events.trust-directory}, read once. A key that cannot be read stops the service at startup rather than quarantining every
 * event of that signer later.
 */
@ApplicationScoped
public class EventSignatures {

    private static final Logger LOG = Logger.getLogger(EventSignatures.class);
    private static final String PEM_SUFFIX = ".pem";

    private final EventVerifier verifier;

    public EventSignatures(AuditConfig config) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        config.events().trustDirectory().ifPresent(directory -> keys.putAll(readDirectory(directory)));
        config.events().trustedKeys().forEach((kid, value) -> keys.put(kid, read(kid, value)));
        if (keys.isEmpty()) {
            LOG.warn("no audit.events.trusted-keys configured: every event on fleetprov/events/* will be quarantined"
                    + " as bad-signature");
        } else {
            LOG.infof("trusting signed fleetprov events from %s", keys.keySet());
        }
        this.verifier = new EventVerifier(keys);
    }

    public EventVerifier verifier() {
        return verifier;
    }

    private static Map<String, PublicKey> readDirectory(Path directory) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            // Kubernetes mounts a ConfigMap's keys as symbolic links beside "..data"-style entries: skip dotfiles.
            files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> f.getFileName().toString().endsWith(PEM_SUFFIX))
                    .sorted()
                    .forEach(f -> {
                        String name = f.getFileName().toString();
                        String kid = name.substring(0, name.length() - PEM_SUFFIX.length());
                        keys.put(kid, read(kid, f.toString()));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("audit.events.trust-directory: cannot list " + directory, e);
        }
        return keys;
    }

    private static PublicKey read(String kid, String value) {
        String pem = value;
        if (!EventKeys.isPem(value)) {
            try {
                pem = Files.readString(Path.of(value.strip()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("audit.events.trusted-keys." + kid + ": cannot read " + value, e);
            }
        }
        try {
            return EventKeys.publicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("audit.events.trusted-keys." + kid + ": " + e.getMessage(), e);
        }
    }
}
