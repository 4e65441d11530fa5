package io.fleetprov.claims.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.store.OutboxStore;
import io.fleetprov.protocol.event.EventSignatureException;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.protocol.event.SignedBatch;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Subscribes to this service's own event topics: an event the broker routes back has certainly been accepted by
 * it, which a QoS 1 write alone does not prove (the connector acknowledges on write, not on PUBACK). A single signed
 * event (as an earlier version sent) confirms an outbox row only when it is byte for byte the signed message the row
 * holds, so no signature check is needed for it: nobody else can produce those bytes. A {@link SignedBatch} (as
 * {@link OutboxRelay} sends now) is first verified with this service's own key, then confirms each row whose envelope
 * it holds byte for byte: the rows keep their envelope, since a batch is signed afresh at each send.
 */
@ApplicationScoped
public class EventConfirmations {

    private static final Logger LOG = Logger.getLogger(EventConfirmations.class);

    private final OutboxStore outbox;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final String source;
    private final EventVerifier own;

    public EventConfirmations(OutboxStore outbox, Clock clock, ClaimServiceConfig config, EventSigning signing) {
        this.outbox = outbox;
        this.clock = clock;
        this.source = config.events().source();
        this.own = signing.signer().selfVerifier();
    }

    @Incoming("fleet-events-echo")
    @Blocking
    public void confirm(byte[] payload) {
        try {
            List<OutboxStore.Delivered> delivered = new ArrayList<>();
            if (EventVerifier.isBatch(payload)) {
                for (byte[] envelope : own.verifyBatch(payload).envelopes()) {
                    oursIfReadable(envelope).ifPresent(delivered::add);
                }
            } else {
                ours(EventVerifier.unverifiedEnvelope(payload), new String(payload, StandardCharsets.US_ASCII).strip())
                        .ifPresent(delivered::add);
            }
            outbox.confirm(delivered, clock.instant());
        } catch (IOException | IllegalArgumentException | EventSignatureException e) {
            LOG.debugf("ignoring an unreadable event: %s", e.getMessage());
        }
    }

    /** As {@link #ours}; an envelope it cannot read confirms nothing, and the rest of its batch still does. */
    private Optional<OutboxStore.Delivered> oursIfReadable(byte[] envelope) {
        try {
            return ours(envelope, SignedBatch.text(envelope));
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("ignoring an unreadable envelope in a batch: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** The row this envelope would confirm, holding exactly {@code asStored}, if the envelope is this service's. */
    private Optional<OutboxStore.Delivered> ours(byte[] envelope, String asStored) throws IOException {
        JsonNode event = json.readTree(envelope);
        if (event != null && source.equals(event.path("source").asText()) && event.hasNonNull("eventId")) {
            return Optional.of(new OutboxStore.Delivered(
                    UUID.fromString(event.get("eventId").asText()), asStored));
        }
        return Optional.empty();
    }
}
