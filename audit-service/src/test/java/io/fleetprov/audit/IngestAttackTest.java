package io.fleetprov.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.RawMqtt;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Events built to stop or corrupt the audit trail, published over the real broker as claim-service would. Each is
 * refused into quarantine with its reason, the events after it are recorded, readiness stays UP, and nothing already
 * on the chain changed (row count and the hash of the old head before and after).
 */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class IngestAttackTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    IntegrityService integrity;

    @Test
    void anEventFromTheYear300000IsQuarantinedAndIngestGoesOn() throws Exception {
        // The event that used to stop audit-service for good: PostgreSQL refuses the date, the batch was retried
        // forever and nothing after it was recorded.
        attack(envelope("occurredAt", "+300000-01-01T00:00:00Z"), "occurredAt +300000-01-01T00:00:00Z is outside");
    }

    @Test
    void valuesPostgresqlCannotHoldAreQuarantinedWithTheirReason() throws Exception {
        attack(envelope("installer", "mallory\u0000"), "contains a U+0000 character");
        // 60,000 characters: signed (base64 in a JWS, a third more) it still fits the broker's 128 KB.
        attack(envelope("thingName", "t".repeat(60_000)), "thingName is longer than 256 characters (60000)");
        attack(envelope("serialNumber", "x".repeat(257)), "serialNumber is longer than 256 characters");
        attack(
                envelope("reason", "@@SURROGATE@@").replace("@@SURROGATE@@", "\\udc00 lone"),
                "reason contains an unpaired UTF-16 surrogate");
        attack(
                envelope("reason", "ok").replace("\"reason\":\"ok\"", "\"amount\":1e400"),
                "payload holds a number beyond the range of a double");
        attack(
                envelope("reason", "ok").replace("\"ok\"", "[".repeat(5000) + "]".repeat(5000)),
                "malformed JSON payload");
        attack(envelope("occurredAt", "-5000-01-01T00:00:00Z"), "is outside PostgreSQL's timestamp range");
    }

    @Test
    void aRowTheDatabaseRefusesIsIsolatedFromItsBatchAndQuarantinedWithTheSqlState() throws Exception {
        // A constraint added by the owner: the writer cannot know it, only the database's answer tells.
        try (Connection owner = database.superuser();
                Statement s = owner.createStatement()) {
            s.execute("alter table audit_event add constraint no_refuse_me "
                    + "check (installer is distinct from 'refuse-me') not valid");
        }
        try {
            ChainSnapshot before = snapshot();
            List<String> good = new ArrayList<>();
            try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
                for (int i = 0; i < 20; i++) {
                    good.add(claimService
                            .publish(ClaimServiceEvents.claimIssued(
                                    "installer-ok", "SN-c-" + i, "claim-c-" + UUID.randomUUID()))
                            .eventId());
                    if (i == 10) {
                        claimService.publish(ClaimServiceEvents.claimIssued(
                                "refuse-me", "SN-refused", "claim-" + UUID.randomUUID()));
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(good) == good.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> quarantinedSince(before.at(), "23514") == 1);
            assertThat(reasonsSince(before.at()))
                    .anyMatch(r -> r.startsWith("refused by the database: 23514") && r.contains("no_refuse_me"));
            assertKept(before, good.size());
        } finally {
            try (Connection owner = database.superuser();
                    Statement s = owner.createStatement()) {
                s.execute("alter table audit_event drop constraint no_refuse_me");
            }
        }
    }

    @Test
    void anEarlyDateIsStoredAsItWasSentAndItsLinkStillVerifies() throws Exception {
        // java.sql.Timestamp would have stored it in the Julian calendar, days off, and broken its own link.
        String payload = envelope("occurredAt", "1000-06-15T12:00:00Z");
        String id = payload.substring(payload.indexOf("\"eventId\":\"") + 11, payload.indexOf("\"eventId\":\"") + 47);
        ChainSnapshot before = snapshot();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            claimService.publishBytes("fleetprov/events/ClaimIssued", payload.getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(id)) == 1);
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select occurred_at from audit_event where event_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                        .isEqualTo(Instant.parse("1000-06-15T12:00:00Z"));
            }
        }
        assertKept(before, 1);
    }

    @Test
    void generatedHostileMessagesOverMqttAreEachStoredOrQuarantined() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        HostileEvents events = new HostileEvents(seed, true);
        ChainSnapshot before = snapshot();
        List<HostileEvents.Message> sent = new ArrayList<>();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            while (sent.size() < 300) {
                HostileEvents.Message m = events.next();
                if (m.topic().startsWith("fleetprov/events/")) { // the only topics claim-service may publish on
                    claimService.publishAsIs(m.topic(), m.payload()); // signed (or not) by HostileEvents
                    sent.add(m);
                }
            }
        }
        long redeliveries = sent.stream().filter(m -> m.redeliveryOf() != null).count();
        // The seed in the failure message replays the same messages: -Dfuzz.seed=<seed>.
        await("300 hostile messages, -Dfuzz.seed=" + seed)
                .atMost(Duration.ofSeconds(40))
                .until(() -> {
                    long stored = storedSince(before.at());
                    long quarantined = quarantinedSince(before.at(), "");
                    Set<String> ids = storedIdsSince(before.at());
                    long duplicates = sent.stream()
                            .filter(m -> m.redeliveryOf() != null && ids.contains(m.redeliveryOf()))
                            .count();
                    return stored + quarantined + duplicates == sent.size();
                });
        assertThat(redeliveries).isPositive();
        assertKept(before, 0);
    }

    @Test
    void aPublishCutInsideItsTopicAcrossTlsRecordsIsAcceptedOnTheSameConnection() throws Exception {
        // TLS hands the broker's MQTT decoder whatever one record holds: here a PUBLISH cut after six bytes of its
        // topic. netty 4.1.133's decoder took that for an oversized packet and the broker closed the publisher's
        // connection (as audit-service's own client did with the broker's records, MqttFramingTest): claim-service's
        // outbox relay publishes through the same decoder.
        FleetEvent event = ClaimServiceEvents.claimIssued("installer-cut", "SN-cut", "claim-" + UUID.randomUUID());
        byte[] publish = RawMqtt.publish(
                "fleetprov/events/ClaimIssued",
                7,
                ClaimServiceEvents.signed(PayloadCodec.json().encode(event)));
        ChainSnapshot before = snapshot();
        var identity = emulator.createServiceIdentity("claim-service");
        try (SSLSocket socket =
                (SSLSocket) emulator.clientSocketFactory(identity.certificatePem(), identity.privateKeyPem())
                        .createSocket("localhost", emulator.mqttPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawMqtt.connect("claim-service-" + UUID.randomUUID()));
            out.flush();
            assertThat(in.readNBytes(4)).as("CONNACK, accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
            int cut = RawMqtt.fixedHeaderLength(publish) + 2 + 6; // six bytes into the topic
            out.write(publish, 0, cut); // one TLS record
            out.flush();
            // Lets the broker read the first record on its own (not an assertion: without the pause the two records
            // may be decrypted together and the cut not seen).
            Thread.sleep(200);
            out.write(publish, cut, publish.length - cut); // the next record
            out.flush();
            assertThat(in.readNBytes(4)).as("PUBACK on the same connection").containsExactly(0x40, 0x02, 0x00, 0x07);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(event.eventId())) == 1);
        assertKept(before, 1);
    }

    /** Publishes the attack, then an honest event; the attack is quarantined, the honest event stored. */
    private void attack(String payload, String reason) throws Exception {
        ChainSnapshot before = snapshot();
        FleetEvent honest;
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            claimService.publishBytes("fleetprov/events/ClaimIssued", payload.getBytes(StandardCharsets.UTF_8));
            honest = claimService.publish(
                    ClaimServiceEvents.claimIssued("installer-honest", "SN-after", "claim-" + UUID.randomUUID()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(List.of(honest.eventId())) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> quarantinedSince(before.at(), reason) == 1);
        assertKept(before, 1);
    }

    /** A ClaimIssued envelope with one field set to {@code value}. */
    private static String envelope(String field, String value) {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        node.put("eventId", UUID.randomUUID().toString());
        node.put("type", "ClaimIssued");
        node.put("occurredAt", Instant.now().toString());
        node.put("source", "claim-service");
        node.put("installer", "installer-x");
        node.put("serialNumber", "SN-x");
        node.put(field, value);
        return node.toString();
    }

    private ChainSnapshot snapshot() throws SQLException {
        return ChainSnapshot.take(integrity, database);
    }

    /** Nothing accepted before is lost or changed, at least {@code added} rows more, readiness UP. */
    private void assertKept(ChainSnapshot before, int added) throws SQLException {
        try (Connection c = database.superuser();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from audit_event")) {
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(before.rows() + added);
        }
        before.assertOldLinksKept(integrity);
    }

    private long stored(List<String> ids) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where event_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long storedSince(Instant at) throws SQLException {
        return storedIdsSince(at).size();
    }

    private Set<String> storedIdsSince(Instant at) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(
                        "select event_id from audit_event where received_at >= ? and topic like 'fleetprov/events/%'")) {
            ps.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private long quarantinedSince(Instant at, String reasonPart) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from quarantined_event where received_at >= ? and strpos(reason, ?) > 0")) {
            ps.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
            ps.setString(2, reasonPart);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> reasonsSince(Instant at) throws SQLException {
        List<String> reasons = new ArrayList<>();
        try (Connection c = database.superuser();
                PreparedStatement ps =
                        c.prepareStatement("select reason from quarantined_event where received_at >= ?")) {
            ps.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        }
        return reasons;
    }
}
