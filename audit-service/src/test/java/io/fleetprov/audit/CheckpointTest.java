package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.service.Checkpoint;
import io.fleetprov.audit.service.CheckpointService;
import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.audit.store.HashChain;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Tokens;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What the database owner can do behind the triggers — delete the newest rows, or rewrite a row and every hash after
 * it — leaves a chain that verifies on its own; {@code /v1/integrity} still finds it against the signed checkpoints.
 * Each tamper happens while the test holds the chain's advisory lock (so the writer appends nothing meanwhile) and
 * is undone before the lock is released.
 */
@QuarkusTest
class CheckpointTest {

    /** EventStore's chain lock: the writer waits while a test holds it. */
    private static final long CHAIN_LOCK = 0x6175646974L;

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    CheckpointService checkpoints;

    @Test
    void checkpointsAreSignedWriteOnceFilesAndTheKeyIsPrivate() throws Exception {
        ingest(2);
        Checkpoint checkpoint = checkpoints.checkpointNow().orElseThrow();
        Path directory = Path.of(ConfigProvider.getConfig().getValue("audit.checkpoint.directory", String.class));
        Path file = directory.resolve(String.format("checkpoint-%020d.jws", checkpoint.seq()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("r--r--r--");
        assertThat(Files.readString(file).split("\\.")).hasSize(3); // compact JWS
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(directory.resolve("checkpoint-signing-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(directory.resolve("checkpoint-signing-key.pub.pem")))
                .startsWith("-----BEGIN PUBLIC KEY-----")
                .doesNotContain("PRIVATE");
        JsonPath report = integrity();
        assertThat(report.getBoolean("intact")).isTrue();
        assertThat(report.getString("checkpoints.status")).isEqualTo("matches");
    }

    @Test
    void deletingTheNewestRowsAsTheOwnerIsReportedAsTruncation() throws Exception {
        ingest(3);
        try (Connection owner = database.superuser();
                Statement s = owner.createStatement()) {
            lockChain(s);
            try {
                Checkpoint checkpoint = checkpoints.checkpointNow().orElseThrow();
                long head = checkpoint.seq();
                long rowsBefore = rows(s);
                s.execute("create temp table kept as select * from audit_event where seq > " + (head - 2));
                s.execute("set session_replication_role = replica");
                assertThat(s.executeUpdate("delete from audit_event where seq > " + (head - 2)))
                        .isEqualTo(2);

                JsonPath report = integrity();
                // On its own the shorter chain verifies: only the checkpoint shows what is gone.
                assertThat(report.getMap("firstBrokenLink")).isNull();
                assertThat(report.getBoolean("intact")).isFalse();
                assertThat(report.getString("checkpoints.status")).isEqualTo("truncated");
                assertThat(report.getLong("checkpoints.checkpointSeq")).isEqualTo(head);
                assertThat(report.getLong("checkpoints.headSeq")).isEqualTo(head - 2);

                s.execute("insert into audit_event select * from kept");
                s.execute("set session_replication_role = origin");
                assertThat(rows(s)).isEqualTo(rowsBefore);
            } finally {
                unlockChain(s);
            }
        }
        assertThat(integrity().getString("checkpoints.status")).isEqualTo("matches");
    }

    @Test
    void rewritingARowAndEveryHashAfterItAsTheOwnerIsReportedAsRewritten() throws Exception {
        ingest(3);
        try (Connection owner = database.superuser();
                Statement s = owner.createStatement()) {
            lockChain(s);
            try {
                Checkpoint checkpoint = checkpoints.checkpointNow().orElseThrow();
                long head = checkpoint.seq();
                long from = head - 1;
                s.execute("create temp table original as select * from audit_event where seq >= " + from);
                s.execute("set session_replication_role = replica");
                rewriteFrom(owner, from, "installer-mallory");

                JsonPath report = integrity();
                assertThat(report.getMap("firstBrokenLink")).isNull();
                assertThat(report.getBoolean("intact")).isFalse();
                assertThat(report.getString("checkpoints.status")).isEqualTo("rewritten");
                assertThat(report.getLong("checkpoints.checkpointSeq")).isEqualTo(head);
                assertThat(report.getString("checkpoints.checkpointHash")).isEqualTo(checkpoint.hash());
                assertThat(report.getString("checkpoints.storedHash")).isNotEqualTo(checkpoint.hash());

                s.execute("delete from audit_event where seq >= " + from);
                s.execute("insert into audit_event select * from original");
                s.execute("set session_replication_role = origin");
            } finally {
                unlockChain(s);
            }
        }
        assertThat(integrity().getBoolean("intact")).isTrue();
    }

    /** Changes the installer of link {@code from} and re-chains it and every later link, as a careful forger would. */
    private static void rewriteFrom(Connection owner, long from, String installer) throws SQLException {
        List<ChainedEvent> links = new ArrayList<>();
        byte[] prev;
        try (PreparedStatement ps = owner.prepareStatement("select hash from audit_event where seq = ?")) {
            ps.setLong(1, from - 1);
            try (ResultSet rs = ps.executeQuery()) {
                prev = rs.next() ? rs.getBytes(1) : HashChain.GENESIS;
            }
        }
        try (PreparedStatement ps = owner.prepareStatement(
                "select " + EventStore.columns() + " from audit_event where seq >= ? order by seq"); ) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.add(EventStore.chained(rs));
                }
            }
        }
        try (PreparedStatement update =
                owner.prepareStatement("update audit_event set installer = ?, prev_hash = ?, hash = ? where seq = ?")) {
            for (ChainedEvent link : links) {
                var e = link.event();
                var forged = link.seq() == from
                        ? new io.fleetprov.audit.store.AuditEvent(
                                e.eventId(),
                                e.eventType(),
                                e.source(),
                                e.topic(),
                                e.occurredAt(),
                                e.receivedAt(),
                                installer,
                                e.serialNumber(),
                                e.templateName(),
                                e.claimCertificateId(),
                                e.certificateId(),
                                e.thingName(),
                                e.clientId(),
                                e.outcome(),
                                e.reason(),
                                e.signer(),
                                e.traceId(),
                                e.signedBatch(),
                                e.payload())
                        : e;
                byte[] hash = HashChain.hash(prev, link.seq(), forged);
                update.setString(1, forged.installer());
                update.setBytes(2, prev);
                update.setBytes(3, hash);
                update.setLong(4, link.seq());
                assertThat(update.executeUpdate()).isEqualTo(1);
                prev = hash;
            }
        }
        assertThat(HexFormat.of().formatHex(prev)).isNotEmpty();
    }

    private void ingest(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            for (int i = 0; i < count; i++) {
                FleetEvent e = claimService.publish(ClaimServiceEvents.claimIssued(
                        "installer-anchor", "SN-anchor-" + i, "claim-anchor-" + System.nanoTime()));
                ids.add(e.eventId());
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(ids) == ids.size());
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

    private static long rows(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select count(*) from audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void lockChain(Statement s) throws SQLException {
        s.execute("select pg_advisory_lock(" + CHAIN_LOCK + ")");
    }

    private static void unlockChain(Statement s) throws SQLException {
        s.execute("set session_replication_role = origin");
        s.execute("select pg_advisory_unlock(" + CHAIN_LOCK + ")");
    }

    private static JsonPath integrity() {
        return given().auth()
                .oauth2(Tokens.auditor())
                .get("/v1/integrity")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
