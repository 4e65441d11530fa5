package io.fleetprov.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.audit.testing.Mqtt;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.events.ServiceIdentity;
import io.fleetprov.protocol.AwsEventTopics;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.EventType;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Durable ingest rate — a burst of claim-service events through the broker until every one is committed to the
 * hash-chained log — beside pgbench-style single-row autocommit INSERT TPS of a comparable row from one connection
 * on the same PostgreSQL, in the same run. Run it with {@code ./mvnw -o -pl audit-service -am test
 * -Dtest=IngestBenchmark -Dbenchmark=true -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dbenchmark.batch=1}
 * for one event per message).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class IngestBenchmark {

    private static final int EVENTS = Integer.getInteger("benchmark.events", 20_000);
    /**
     * Events per MQTT message (a {@link io.fleetprov.protocol.event.SignedBatch}, one signature each), as
     * claim-service's relay publishes them; 1 publishes every event alone, as a single signed event.
     */
    private static final int BATCH = Integer.getInteger("benchmark.batch", 50);
    /** Publishes the client keeps unacknowledged by the broker: "as fast as the broker takes them". */
    private static final int PUBLISH_WINDOW = 500;

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    MeterRegistry registry;

    @Test
    void durableIngestAgainstSingleRowInserts() throws Exception {
        String installer = "installer-bench-" + UUID.randomUUID();
        long warmup = ingest("installer-warmup-" + UUID.randomUUID(), 5000).rows();
        assertThat(warmup).isEqualTo(5000);
        double duplicatesBefore = duplicates();
        Ingest ingest = ingest(installer, EVENTS);
        assertThat(ingest.rows()).isEqualTo(EVENTS);
        // Events the broker delivered again (it resends what stays unacknowledged too long) and the service skipped:
        // work that does not add rows, so a run with many is slower for a reason this line names.
        double redelivered = duplicates() - duplicatesBefore;
        double insertTps = singleRowInserts(installer, EVENTS);

        System.out.printf(
                "%naudit-service ingest benchmark: %d events, %d per message (%s), %d cores, PostgreSQL %s,"
                        + " synchronous_commit=%s, fsync=%s%n",
                EVENTS,
                BATCH,
                BATCH == 1 ? "single signed events" : "signed batches",
                Runtime.getRuntime().availableProcessors(),
                setting("server_version"),
                setting("synchronous_commit"),
                setting("fsync"));
        System.out.printf(
                "  broker accepted (QoS 1 PUBACKs to the publisher): %8.1f events/s (%.1f messages/s)%n",
                ingest.publishedPerSecond(), ingest.publishedPerSecond() / BATCH);
        System.out.printf(
                "  durable ingest (published -> committed in the chain): %8.1f events/s (%.0f events delivered again"
                        + " and skipped as duplicates)%n",
                ingest.storedPerSecond(), redelivered);
        System.out.printf("  single-row autocommit INSERT, one connection:     %8.1f TPS%n", insertTps);
        System.out.printf("  ratio ingest/insert: %.2f%n%n", ingest.storedPerSecond() / insertTps);
    }

    private double duplicates() {
        Counter counter = registry.find("audit.events.duplicate").counter();
        return counter == null ? 0 : counter.count();
    }

    record Ingest(long rows, double publishedPerSecond, double storedPerSecond) {}

    /** Publishes {@code count} distinct events as fast as the broker acknowledges them; waits until all are rows. */
    private Ingest ingest(String installer, int count) throws Exception {
        ServiceIdentity identity = emulator.createServiceIdentity("claim-service");
        MqttAsyncClient client = Mqtt.connectAsync(
                emulator,
                identity.certificatePem(),
                identity.privateKeyPem(),
                "claim-service-bench-" + UUID.randomUUID(),
                2 * PUBLISH_WINDOW);
        Semaphore window = new Semaphore(PUBLISH_WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failure.compareAndSet(null, e);
                window.release();
            }
        };
        String topic = AwsEventTopics.fleetprov(EventType.CLAIM_ISSUED.wire());
        // Signed before the clock starts: the producer is claim-service, another process, which signs each event as
        // it writes it to its outbox; what is timed here is the broker and audit-service.
        List<byte[]> payloads = new ArrayList<>();
        for (int first = 0; first < count; first += BATCH) {
            List<FleetEvent> events = new ArrayList<>(BATCH);
            for (int i = first; i < Math.min(count, first + BATCH); i++) {
                events.add(ClaimServiceEvents.claimIssued(installer, "SN-bench-" + i, "claim-bench-" + i));
            }
            payloads.add(
                    BATCH == 1
                            ? ClaimServiceEvents.signed(PayloadCodec.json().encode(events.get(0)))
                            : ClaimServiceEvents.signedBatch(events));
        }
        long start = System.nanoTime();
        try {
            for (byte[] payload : payloads) {
                window.acquire();
                client.publish(topic, payload, 1, false, null, release);
            }
            window.acquire(PUBLISH_WINDOW);
            double published = (System.nanoTime() - start) / 1e9;
            assertThat(failure.get()).isNull();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long rows;
            while ((rows = rowsOf(installer)) < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double stored = (System.nanoTime() - start) / 1e9;
            return new Ingest(rows, count / published, count / stored);
        } finally {
            client.disconnect().waitForCompletion(5000);
            client.close();
        }
    }

    /**
     * pgbench's shape (one client, one statement per transaction, autocommit) with audit-service's row: a copy of
     * audit_event with its indexes and unique constraints, each INSERT carrying a stored event's column values.
     */
    private double singleRowInserts(String installer, int count) throws Exception {
        SecureRandom random = new SecureRandom();
        try (Connection c = database.superuser();
                Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_insert");
            s.execute("create table bench_insert (like audit_event including all)");
            try (ResultSet row = s.executeQuery(
                            "select * from audit_event where installer = '" + installer + "' order by seq limit 1");
                    PreparedStatement insert = c.prepareStatement("insert into bench_insert (seq, event_id,"
                            + " event_type, source, topic, occurred_at, received_at, installer, serial_number,"
                            + " template_name, claim_certificate_id, certificate_id, thing_name, client_id, outcome,"
                            + " reason, payload, prev_hash, hash)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
                assertThat(row.next()).isTrue();
                c.setAutoCommit(true);
                byte[] previous = row.getBytes("hash");
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    byte[] hash = new byte[32];
                    random.nextBytes(hash);
                    insert.setLong(1, i + 1);
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.setString(3, row.getString("event_type"));
                    insert.setString(4, row.getString("source"));
                    insert.setString(5, row.getString("topic"));
                    insert.setObject(6, row.getObject("occurred_at"));
                    insert.setObject(7, row.getObject("received_at"));
                    insert.setString(8, row.getString("installer"));
                    insert.setString(9, row.getString("serial_number") + "-" + i);
                    insert.setString(10, row.getString("template_name"));
                    insert.setString(11, row.getString("claim_certificate_id") + "-" + i);
                    insert.setString(12, row.getString("certificate_id"));
                    insert.setString(13, row.getString("thing_name"));
                    insert.setString(14, row.getString("client_id"));
                    insert.setString(15, row.getString("outcome"));
                    insert.setString(16, row.getString("reason"));
                    insert.setString(17, row.getString("payload"));
                    insert.setBytes(18, previous);
                    insert.setBytes(19, hash);
                    insert.executeUpdate();
                    previous = hash;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return count / seconds;
            } finally {
                s.execute("drop table bench_insert");
            }
        }
    }

    private long rowsOf(String installer) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where installer = ?")) {
            ps.setString(1, installer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String setting(String name) throws Exception {
        try (Connection c = database.superuser();
                ResultSet rs = c.createStatement().executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
