package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.service.EventParser;
import io.fleetprov.audit.service.IngestWriter;
import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.audit.service.ReceivedMessage;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.EventKeys;
import io.fleetprov.protocol.event.EventSigner;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.EventVerifier;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.SignedBatch;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * Producer-side batches ({@link SignedBatch}): several events in one message under one signature, each stored as its
 * own link in batch order with the batch's message kept once for re-verification. A batch that fails its signature or
 * is too large is quarantined whole; an unreadable event inside a validly signed batch is quarantined alone and the
 * batch's other events are kept; duplicates across batches and a replayed batch are stored once. After each attack,
 * nothing accepted before it changed.
 */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class SignedBatchIngestTest {

    private static final String TOPIC = AwsEventTopics.fleetprov(EventType.CLAIM_ISSUED.wire());

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    IntegrityService integrity;

    @Inject
    IngestWriter writer;

    @Test
    void aBatchBecomesOneLinkPerEventInBatchOrderAndItsSignedMessageIsKeptForReVerification() throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> events = events("batched", 5);
        byte[] message = ClaimServiceEvents.signedBatch(events);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(events) == events.size());

        List<String> stored = query(
                "select event_id || ' ' || signer || ' ' || signed_batch from audit_event where installer = ?"
                        + " order by seq",
                events.get(0).installer());
        String digest = SignedBatch.digest(message);
        assertThat(stored)
                .containsExactlyElementsOf(events.stream()
                        .map(e -> e.eventId() + " " + Contracts.EVENT_SIGNING_KEY_ID + " " + digest)
                        .toList());
        // What an auditor does: verify the kept message with the signer's key and find each row's envelope in it.
        List<String> kept = query("select message from signed_batch where digest = ?", digest);
        assertThat(kept).hasSize(1);
        SignedBatch verified = new EventVerifier(
                        Map.of(Contracts.EVENT_SIGNING_KEY_ID, EventKeys.publicKey(Contracts.eventSigningKey())))
                .verifyBatch(kept.get(0).getBytes(StandardCharsets.US_ASCII));
        assertThat(verified.envelopes().stream()
                        .map(envelope -> PayloadCodec.json()
                                .decode(envelope, FleetEvent.class)
                                .eventId())
                        .toList())
                .containsExactlyElementsOf(
                        events.stream().map(FleetEvent::eventId).toList());
        assertKept(before, events.size(), 0);
    }

    @Test
    void aBatchSignedByAnotherKeyUnderTheTrustedKidIsQuarantinedWhole() throws Exception {
        EventSigner impostor = new EventSigner(
                Contracts.EVENT_SIGNING_KEY_ID, EventKeys.generate().getPrivate());
        List<FleetEvent> forged = events("forged", 3);
        attack(
                impostor.signBatch(
                                forged.stream().map(PayloadCodec.json()::encode).toList())
                        .getBytes(StandardCharsets.US_ASCII),
                forged,
                EventParser.BAD_SIGNATURE);
    }

    @Test
    void anEventChangedInsideASignedBatchQuarantinesTheBatchWhole() throws Exception {
        List<FleetEvent> events = events("tampered", 3);
        String[] parts = new String(ClaimServiceEvents.signedBatch(events), StandardCharsets.US_ASCII).split("\\.");
        String lines = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(events.get(1).serialNumber(), "SN-mallory");
        byte[] tampered = (parts[0] + "."
                        + java.util.Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(lines.getBytes(StandardCharsets.UTF_8))
                        + "." + parts[2])
                .getBytes(StandardCharsets.US_ASCII);
        attack(tampered, events, EventParser.BAD_SIGNATURE);
    }

    @Test
    void aBatchOfMoreEventsThanTheLimitIsQuarantinedWhole() throws Exception {
        // EventSigner refuses to sign such a batch, so it is made by hand, as an attacker with the key would.
        List<FleetEvent> events = events("oversized", 1);
        List<String> lines = new ArrayList<>(
                Collections.nCopies(SignedBatch.MAX_EVENTS, "{\"eventId\":\"" + UUID.randomUUID() + "\"}"));
        lines.add(0, new String(PayloadCodec.json().encode(events.get(0)), StandardCharsets.UTF_8));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(String.join("\n", lines));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(Contracts.EVENT_SIGNING_KEY_ID);
        jws.setHeader("typ", SignedBatch.TYPE);
        jws.setKey(EventKeys.privateKey(Contracts.eventSigningKey()));
        attack(jws.getCompactSerialization().getBytes(StandardCharsets.US_ASCII), events, EventParser.BATCH_TOO_LARGE);
    }

    @Test
    void anUnreadableEventInsideASignedBatchIsQuarantinedAloneAndTheOthersAreKept() throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> good = events("mixed", 2);
        // Validly signed, but a HookDecision on the ClaimIssued topic, and a line that is no event at all.
        FleetEvent wrongType = ClaimServiceEvents.hookDecision(
                good.get(0).installer(), "SN-wrong", "claim-wrong", "cert-wrong", true, "claim-bound-serial-matches");
        byte[] message = ClaimServiceEvents.SIGNER
                .signBatch(List.of(
                        PayloadCodec.json().encode(good.get(0)),
                        PayloadCodec.json().encode(wrongType),
                        "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                        PayloadCodec.json().encode(good.get(1))))
                .getBytes(StandardCharsets.US_ASCII);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(good) == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> quarantinedSince(before.at(), "batch event %") == 2);
        assertThat(rows(List.of(wrongType))).isZero();
        assertThat(query(
                        "select reason from quarantined_event where received_at >= ? order by id",
                        before.at().atOffset(ZoneOffset.UTC)))
                .anySatisfy(r -> assertThat(r).startsWith("batch event 2 of 4").contains("does not match topic"))
                .anySatisfy(r -> assertThat(r).startsWith("batch event 3 of 4").contains("not an object"));
        // What is quarantined is the refused event's own line, not the whole batch.
        assertThat(query(
                        "select convert_from(payload, 'UTF8') from quarantined_event where received_at >= ?"
                                + " order by id",
                        before.at().atOffset(ZoneOffset.UTC)))
                .contains(new String(PayloadCodec.json().encode(wrongType), StandardCharsets.UTF_8), "[1,2,3]");
        assertKept(before, 2, 2);
    }

    @Test
    void duplicatesAcrossBatchesAndAReplayedBatchAreStoredOnce() throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> events = events("dedup", 3);
        byte[] first = ClaimServiceEvents.signedBatch(events.subList(0, 2));
        byte[] second = ClaimServiceEvents.signedBatch(events.subList(1, 3));
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, first);
            publisher.publishAsIs(TOPIC, second);
            publisher.publishAsIs(TOPIC, first);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(events) == 3);
        FleetEvent marker = events("dedup-marker", 1).get(0);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, first);
            publisher.publish(marker);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(List.of(marker)) == 1);
        for (FleetEvent e : events) {
            assertThat(rows(List.of(e))).as(e.eventId()).isEqualTo(1);
        }
        // The shared event stays with the batch it first came in.
        assertThat(query(
                        "select signed_batch from audit_event where event_id = ?",
                        events.get(1).eventId()))
                .containsExactly(SignedBatch.digest(first));
        assertThat(query(
                        "select digest from signed_batch where digest in (?, ?)",
                        SignedBatch.digest(first),
                        SignedBatch.digest(second)))
                .hasSize(2);
        assertThat(query("select signed_batch from audit_event where event_id = ?", marker.eventId()))
                .containsOnlyNulls();
        assertKept(before, 4, 0);
    }

    @Test
    void aCommittedBatchPublishedAgainIsCountedAsDuplicatesAndStoredOnce() throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> events = events("resent", 4);
        byte[] message = ClaimServiceEvents.signedBatch(events);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(events) == events.size());
        double duplicatesBefore = duplicatesCounted();

        // The same message again, as a broker resends it: skipped unread, since its events are committed, and counted.
        FleetEvent marker = events("resent-marker", 1).get(0);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
            publisher.publish(marker);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(List.of(marker)) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> duplicatesCounted() >= duplicatesBefore + events.size());
        for (FleetEvent e : events) {
            assertThat(rows(List.of(e))).as(e.eventId()).isEqualTo(1);
        }
        assertKept(before, events.size() + 1, 0);
    }

    @Test
    void aResendOfABatchStillPendingIsAcknowledgedAndStoredOnceAndAQuarantinedOneQuarantinedAgain() throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> events = events("pending-resend", 5);
        byte[] batch = ClaimServiceEvents.signedBatch(events);
        byte[] unsigned =
                PayloadCodec.json().encode(events("pending-unsigned", 1).get(0));
        double duplicatesBefore = duplicatesCounted();
        long quarantinedBefore = quarantined(unsigned);
        CountDownLatch acknowledged = new CountDownLatch(4);
        // Each message twice, the second delivery right behind the first, as the broker resends what it has had in
        // flight too long: the first is usually still being read when the second arrives. Every delivery is
        // acknowledged; the batch's events are stored once and the resend counted as their duplicates; each delivery
        // of the unsigned message is quarantined.
        for (byte[] message : List.of(batch, batch, unsigned, unsigned)) {
            writer.submit(new ReceivedMessage(TOPIC, message, Instant.now(), acknowledged::countDown));
        }
        assertThat(acknowledged.await(20, TimeUnit.SECONDS)).isTrue();
        for (FleetEvent e : events) {
            assertThat(rows(List.of(e))).as(e.eventId()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> duplicatesCounted() >= duplicatesBefore + events.size());
        assertThat(quarantined(unsigned)).isEqualTo(quarantinedBefore + 2);
        assertKept(before, events.size(), 2);
    }

    private long quarantined(byte[] payload) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from quarantined_event where payload = ?")) {
            ps.setBytes(1, payload);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code audit_events_duplicate_total} as the metrics endpoint reports it. */
    private static double duplicatesCounted() {
        return given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith("audit_events_duplicate_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Publishes the attack, then an honest batch: the attack is quarantined whole, the honest batch stored. */
    private void attack(byte[] message, List<FleetEvent> attackEvents, String reason) throws Exception {
        ChainSnapshot before = snapshot();
        List<FleetEvent> honest = events("honest", 2);
        try (ClaimServiceEvents publisher = new ClaimServiceEvents(emulator)) {
            publisher.publishAsIs(TOPIC, message);
            publisher.publishBatch(honest);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(honest) == honest.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> quarantinedSince(before.at(), reason + "%") == 1);
        assertThat(rows(attackEvents)).isZero();
        assertKept(before, honest.size(), 1);
    }

    private static List<FleetEvent> events(String prefix, int count) {
        String installer = prefix + "-" + UUID.randomUUID();
        List<FleetEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(ClaimServiceEvents.claimIssued(installer, "SN-batch-" + i, "claim-" + UUID.randomUUID()));
        }
        return events;
    }

    private ChainSnapshot snapshot() throws SQLException {
        return ChainSnapshot.take(integrity, database);
    }

    /** Exactly {@code added} more fleetprov rows and {@code quarantined} more quarantined ones; old links unchanged. */
    private void assertKept(ChainSnapshot before, int added, int quarantined) throws SQLException {
        assertThat(query(
                        "select event_id from audit_event where received_at >= ? and topic like 'fleetprov/events/%'",
                        before.at().atOffset(ZoneOffset.UTC)))
                .hasSize(added);
        assertThat(quarantinedSince(before.at(), "%")).isEqualTo(quarantined);
        before.assertOldLinksKept(integrity);
    }

    private long rows(List<FleetEvent> events) throws SQLException {
        return query("select event_id from audit_event where event_id = any(?)", (Object)
                        events.stream().map(FleetEvent::eventId).toArray(String[]::new))
                .size();
    }

    private long quarantinedSince(Instant at, String reasonLike) throws SQLException {
        return query(
                        "select id from quarantined_event where received_at >= ? and reason like ?",
                        at.atOffset(ZoneOffset.UTC),
                        reasonLike)
                .size();
    }

    private List<String> query(String sql, Object... parameters) throws SQLException {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof String[] strings) {
                    ps.setArray(i + 1, c.createArrayOf("text", strings));
                } else {
                    ps.setObject(i + 1, parameters[i]);
                }
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }
}
