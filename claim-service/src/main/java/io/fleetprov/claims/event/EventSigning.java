package io.fleetprov.claims.event;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.protocol.event.EventSigner;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The key every event is signed with, read once at startup from {@code fleetprov.events.signing-key} or
 * {@code fleetprov.events.signing-key-file}. Without one the service refuses to start: unsigned events would all be
 * quarantined by audit-service, which is an outage nobody would see until the audit trail was needed.
 */
@Startup
@ApplicationScoped
public class EventSigning {

    private final EventSigner signer;

    public EventSigning(ClaimServiceConfig config) {
        ClaimServiceConfig.Events events = config.events();
        if (events.signingKey().isPresent() == events.signingKeyFile().isPresent()) {
            throw new IllegalStateException(
                    "set exactly one of fleetprov.events.signing-key and fleetprov.events.signing-key-file"
                            + " (an EC P-256 PKCS#8 PEM private key; README, \"Signed events\")");
        }
        String pem = events.signingKey().orElseGet(() -> {
            try {
                return Files.readString(events.signingKeyFile().orElseThrow(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                // The exception names the file, never its content.
                throw new UncheckedIOException("cannot read fleetprov.events.signing-key-file", e);
            }
        });
        try {
            this.signer = EventSigner.fromPem(events.kid(), pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fleetprov.events signing key: " + e.getMessage(), e);
        }
    }

    public EventSigner signer() {
        return signer;
    }
}
