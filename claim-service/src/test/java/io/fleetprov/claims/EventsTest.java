package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.fleetprov.claims.event.EventConfirmations;
import io.fleetprov.claims.event.EventSigning;
import io.fleetprov.claims.service.ClaimExpiry;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.protocol.crypto.P256;
import io.fleetprov.protocol.event.EventSigner;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Events through the outbox: delayed by a broker outage, never lost, never duplicated under a new id. */
@QuarkusTest
class EventsTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @Inject
    ClaimExpiry expiry;

    @Inject
    DataSource dataSource;

    @Inject
    EventConfirmations confirmations;

    @Inject
    EventSigning signing;

    @Inject
    ClaimServiceConfig config;

    /**
     * Anyone may publish on the events topic: a batch that holds a row's envelope byte for byte but is signed by
     * another key must not confirm it (it would stop the row's delivery); the service's own batch still does.
     */
    @Test
    void aBatchEchoUnderAnotherKeyConfirmsNothing() throws Exception {
        UUID eventId = UUID.randomUUID();
        String envelope = insertDeadLetter(eventId);
        List<byte[]> batch = List.of(envelope.getBytes(StandardCharsets.UTF_8));

        EventSigner impostor =
                new EventSigner(signing.signer().keyId(), P256.generate().getPrivate());
        confirmations.confirm(impostor.signBatch(batch).getBytes(StandardCharsets.US_ASCII));
        assertThat(confirmed(eventId)).as("confirmed by an impostor's batch").isFalse();

        confirmations.confirm(signing.signer().signBatch(batch).getBytes(StandardCharsets.US_ASCII));
        assertThat(confirmed(eventId))
                .as("confirmed by the service's own batch")
                .isTrue();
    }

    /** An envelope of its own batch that it cannot read (only the key's holder could sign one) spoils only itself. */
    @Test
    void anUnreadableEnvelopeInItsOwnBatchStillLetsTheOthersConfirm() throws Exception {
        UUID eventId = UUID.randomUUID();
        String envelope = insertDeadLetter(eventId);
        String unreadable =
                "{\"eventId\":\"not-a-uuid\",\"source\":\"" + config.events().source() + "\"}";
        List<byte[]> batch = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                unreadable.getBytes(StandardCharsets.UTF_8),
                envelope.getBytes(StandardCharsets.UTF_8));

        confirmations.confirm(signing.signer().signBatch(batch).getBytes(StandardCharsets.US_ASCII));
        assertThat(confirmed(eventId)).isTrue();
    }

    /**
     * An event of this service's, dead-lettered when written, so the relay never sends it: only an echo the test makes
     * can confirm it. Returns its envelope.
     */
    private String insertDeadLetter(UUID eventId) throws Exception {
        String envelope = "{\"eventId\":\"" + eventId + "\",\"source\":\""
                + config.events().source() + "\",\"type\":\"ClaimIssued\"}";
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into outbox (event_id, topic, payload, "
                        + "created_at, dead_at) values (?, 'fleetprov/events/claim-issued', ?, now(), now())")) {
            insert.setObject(1, eventId);
            insert.setString(2, envelope);
            insert.executeUpdate();
        }
        return envelope;
    }

    private boolean confirmed(UUID eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("select confirmed_at is not null from outbox where event_id = ?")) {
            select.setObject(1, eventId);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBoolean(1);
            }
        }
    }

    @Test
    void theRelaySignsEachBatchBeforeSendingAndItsEchoConfirmsTheRows() throws Exception {
        try (EventListener events = EventListener.subscribe(emulator)) {
            String claim = (String) Claims.issue(ClaimServiceEmulator.installer(), Claims.serial())
                    .get("certificateId");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(events.about(claim)).isNotEmpty());
            EventListener.Received issued = events.about(claim).get(0);
            assertThat(events.refused).isEmpty();
            // The request wrote the envelope; the relay sent it in a signed batch and the row kept the envelope, so
            // the broker's echo of that batch, which holds the envelope byte for byte, confirmed it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (Connection c = dataSource.getConnection();
                        PreparedStatement ps = c.prepareStatement(
                                "select payload, confirmed_at is not null from outbox where event_id = ?")) {
                    ps.setObject(
                            1, UUID.fromString(issued.event().get("eventId").asText()));
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(EventVerifier.isBatch(issued.message().getBytes(StandardCharsets.US_ASCII)))
                                .isTrue();
                        assertThat(rs.getString(1)).isEqualTo(issued.raw());
                        assertThat(rs.getBoolean(2)).isTrue();
                    }
                }
            });
        }
    }

    @Test
    void brokerOutageDelaysEventsAndLosesNone() throws Exception {
        String serviceCertificate = Tokens.config("fleetprov-test.service-identity-id");
        try (EventListener events = EventListener.subscribe(emulator)) {
            // The outage, as the service sees it: the broker drops its connections and refuses it on reconnect.
            emulator.registry().certificates().updateStatus(serviceCertificate, CertificateStatus.INACTIVE);
            List<String> dropped = emulator.broker().connectedClients().stream()
                    .filter(id -> id.startsWith("claim-service-"))
                    .toList();
            assertThat(dropped).hasSize(2);
            dropped.forEach(emulator.broker()::disconnect);

            String installer = ClaimServiceEmulator.installer();
            List<String> claims = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                claims.add((String) Claims.issue(installer, Claims.serial()).get("certificateId"));
            }
            Thread.sleep(1500);
            assertThat(claims)
                    .allSatisfy(claim -> assertThat(events.about(claim)).isEmpty());

            emulator.registry().certificates().updateStatus(serviceCertificate, CertificateStatus.ACTIVE);

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(claims)
                            .allSatisfy(claim -> assertThat(events.about(claim)).isNotEmpty()));
            // A redelivery may repeat an event, but always with its id and content unchanged.
            Map<String, List<String>> byId = claims.stream()
                    .flatMap(claim -> events.about(claim).stream())
                    .collect(Collectors.groupingBy(
                            r -> r.event().get("eventId").asText(),
                            Collectors.mapping(EventListener.Received::raw, Collectors.toList())));
            assertThat(byId).hasSize(3);
            assertThat(byId.values()).allSatisfy(copies -> assertThat(copies).containsOnly(copies.get(0)));
            assertThat(events.received)
                    .allSatisfy(r -> assertThat(r.topic())
                            .isEqualTo(
                                    "fleetprov/events/" + r.event().get("type").asText()));
            // Every event relayed, redeliveries included, verifies with claim-service's public key.
            assertThat(events.refused).isEmpty();
            assertThat(events.received).allSatisfy(ProducedContracts::assertSignedAsContract);
        } finally {
            emulator.registry().certificates().updateStatus(serviceCertificate, CertificateStatus.ACTIVE);
        }
    }

    @Test
    void unusedClaimsExpireWithAnEvent() throws Exception {
        try (EventListener events = EventListener.subscribe(emulator)) {
            String installer = ClaimServiceEmulator.installer();
            String serial = Claims.serial();
            String claim = (String) Claims.issue(installer, serial).get("certificateId");
            ClaimServiceEmulator.CLOCK.advance(Duration.ofMinutes(6));
            try {
                expiry.sweep();
            } finally {
                ClaimServiceEmulator.CLOCK.advance(Duration.ofMinutes(-6));
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.about(claim))
                            .extracting(r -> r.event().get("type").asText())
                            .contains(EventType.CLAIM_EXPIRED_UNUSED.wire()));
            var expired = events.about(claim).stream()
                    .filter(r -> r.event().get("type").asText().equals(EventType.CLAIM_EXPIRED_UNUSED.wire()))
                    .findFirst()
                    .orElseThrow()
                    .event();
            ProducedContracts.assertEventMatchesContract(expired);
            assertThat(events.refused).isEmpty();
            assertThat(expired.get("serialNumber").asText()).isEqualTo(serial);
            assertThat(expired.get("source").asText()).isEqualTo("claim-service");
            Claims.get(installer, claim).statusCode(200).body("status", org.hamcrest.Matchers.equalTo("EXPIRED"));
        }
    }

    @Test
    void refusalsAreEvents() throws Exception {
        try (EventListener events = EventListener.subscribe(emulator)) {
            String installer = ClaimServiceEmulator.installer();
            Claims.request(installer, Claims.serial(), ClaimServiceEmulator.RESTRICTED_TEMPLATE, null)
                    .statusCode(403);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(events.ofType(EventType.CLAIM_REFUSED.wire()))
                            .anySatisfy(r -> {
                                ProducedContracts.assertEventMatchesContract(r.event());
                                assertThat(r.event().get("reason").asText()).isEqualTo("forbidden-template");
                                assertThat(r.event().get("templateName").asText())
                                        .isEqualTo(ClaimServiceEmulator.RESTRICTED_TEMPLATE);
                            }));
        }
    }
}
