package io.fleetprov.claims.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxStore;
import io.fleetprov.protocol.event.EventSignatureException;
import io.fleetprov.protocol.event.EventVerifier;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Subscribes to this service's own event topics: an event the broker routes back has certainly been accepted by
 * it, which a QoS 1 write alone does not prove (the connector acknowledges on write, not on PUBACK). The echo
 * confirms an outbox row only when it is byte for byte the signed message the row holds, so no signature check is
 * needed here: nobody else can produce those bytes.
 */
@ApplicationScoped
public class EventConfirmations {

    private static final Logger LOG = Logger.getLogger(EventConfirmations.class);

    private final OutboxStore outbox;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final String source;

    public EventConfirmations(OutboxStore outbox, Clock clock, ClaimServiceConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.source = config.events().source();
    }

    @Incoming("fleet-events-echo")
    @Blocking
    public void confirm(byte[] payload) {
        try {
            JsonNode event = json.readTree(EventVerifier.unverifiedEnvelope(payload));
            if (event != null && source.equals(event.path("source").asText()) && event.hasNonNull("eventId")) {
                outbox.confirm(
                        UUID.fromString(event.get("eventId").asText()),
                        new String(payload, StandardCharsets.US_ASCII).strip(),
                        clock.instant());
            }
        } catch (IOException | IllegalArgumentException | EventSignatureException e) {
            LOG.debugf("ignoring an unreadable event: %s", e.getMessage());
        }
    }
}
