package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.service.EventParser;
import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.EventKeys;
import io.fleetprov.protocol.event.EventSigner;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events published with claim-service's MQTT identity (which only proves the sender may publish there) but without
 * claim-service's signature: unsigned, signed by an unknown key, signed by a key posing under the trusted kid,
 * altered after signing. Each is quarantined as {@code bad-signature}; an honest event after it is stored with its
 * signer, and nothing already on the chain changed. A replayed signed event is stored once.
 */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class SignedEventAttackTest {

    private static final String TOPIC = AwsEventTopics.fleetprov("ClaimIssued");

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    IntegrityService integrity;

    @Test
    void anUnsignedEventIsQuarantined() throws Exception {
        attack(PayloadCodec.json().encode(event("unsigned")));
    }

    @Test
    void anEventSignedByAnUnknownKeyIsQuarantined() throws Exception {
        EventSigner stranger = new EventSigner("stranger", EventKeys.generate().getPrivate());
        attack(stranger.sign(event("stranger")).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anEventSignedByAnotherKeyUnderTheTrustedKidIsQuarantined() throws Exception {
        EventSigner impostor = new EventSigner(
                Contracts.EVENT_SIGNING_KEY_ID, EventKeys.generate().getPrivate());
        attack(impostor.sign(event("impostor")).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anEventAlteredAfterSigningIsQuarantined() throws Exception {
        String[] parts =
                ClaimServiceEvents.SIGNER.sign(event("installer-honest")).split("\\.");
        String envelope = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("installer-honest", "installer-mallory");
        String altered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(envelope.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        attack(altered.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aReplayedSignedEventIsStoredOnce() throws Exception {
        ChainSnapshot before = snapshot();
        FleetEvent original = event("replayed");
        byte[] signed = ClaimServiceEvents.SIGNER.sign(original).getBytes(StandardCharsets.US_ASCII);
        FleetEvent honest = event("after-replay");
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, signed);
            publisher.publishAsIs(TOPIC, signed);
            publisher.publishAsIs(TOPIC, signed);
            publisher.publish(honest);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(honest.eventId()) == 1);
        assertThat(rows(original.eventId())).isEqualTo(1);
        assertThat(quarantinedSince(before.at())).isZero();
        assertKept(before, 2);
    }

    @Test
    void theSignerIsRecordedAndShownWithTheEvent() throws Exception {
        FleetEvent honest = event("signed-and-shown");
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publish(honest);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(honest.eventId()) == 1);
        assertThat(signer(honest.eventId())).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        given().auth()
                .oauth2(Tokens.auditor())
                .queryParam("type", "ClaimIssued")
                .queryParam("since", honest.occurredAt().minusSeconds(1).toString())
                .queryParam("until", honest.occurredAt().plusSeconds(1).toString())
                .get("/v1/events")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.eventId == '" + honest.eventId() + "' }.signer",
                        org.hamcrest.Matchers.equalTo(Contracts.EVENT_SIGNING_KEY_ID));
    }

    /** Publishes the attack, then an honest event: the attack is quarantined, the honest event stored and signed. */
    private void attack(byte[] message) throws Exception {
        ChainSnapshot before = snapshot();
        FleetEvent honest = event("installer-honest");
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
            publisher.publish(honest);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(honest.eventId()) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> quarantinedSince(before.at()) == 1);
        assertThat(signer(honest.eventId())).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertKept(before, 1);
    }

    private static FleetEvent event(String installer) {
        return ClaimServiceEvents.claimIssued(installer, "SN-sig-" + UUID.randomUUID(), "claim-" + UUID.randomUUID());
    }

    private ChainSnapshot snapshot() throws SQLException {
        return ChainSnapshot.take(integrity, database);
    }

    /** Exactly {@code added} more fleetprov rows (tests run one at a time), the old links unchanged. */
    private void assertKept(ChainSnapshot before, int added) throws SQLException {
        try (Connection c = database.superuser();
                Statement s = c.createStatement();
                // fleetprov's topics only: the publisher's own connection adds AWS presence events.
                ResultSet rs = s.executeQuery("select event_id, installer, signer from audit_event"
                        + " where received_at >= '" + before.at().atOffset(ZoneOffset.UTC)
                        + "' and topic like 'fleetprov/events/%'")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
            assertThat(rows).as("fleetprov rows since " + before.at()).hasSize(added);
        }
        before.assertOldLinksKept(integrity);
    }

    private long rows(String eventId) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String signer(String eventId) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select signer from audit_event where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long quarantinedSince(Instant at) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from quarantined_event where received_at >= ? and reason like ?")) {
            ps.setObject(1, at.atOffset(ZoneOffset.UTC));
            ps.setString(2, EventParser.BAD_SIGNATURE + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
