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
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Durable ingest rate — a burst of claim-service events through the broker until every one is committed to the
 * hash-chained log — beside pgbench-style single-row autocommit INSERT TPS of a comparable row from one connection
 * on the same PostgreSQL, in the same run: {@code -Dbenchmark.rounds} rounds (5) of both, alternately, each round
 * printed with what else happened meanwhile (GC, CPU, PostgreSQL's checkpoints and autovacuum, redeliveries), then
 * the median ratio. Run it with {@code ./mvnw -o -pl audit-service -am test
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
    /** Rounds of ingest and INSERT, alternately; the median ratio is the result. */
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Inject
    MeterRegistry registry;

    /** The broker's acceptance rate in the latest {@link #ingest}, printed beside its durable rate. */
    private double lastPublishedPerSecond;

    @Test
    void durableIngestAgainstSingleRowInserts() throws Exception {
        long warmup = ingest("installer-warmup-" + UUID.randomUUID(), 5000).rows();
        assertThat(warmup).isEqualTo(5000);
        System.out.printf(
                "%naudit-service ingest benchmark: %d rounds of %d events, %d per message (%s), %d cores,"
                        + " PostgreSQL %s, synchronous_commit=%s, fsync=%s%n",
                ROUNDS,
                EVENTS,
                BATCH,
                BATCH == 1 ? "single signed events" : "signed batches",
                Runtime.getRuntime().availableProcessors(),
                setting("server_version"),
                setting("synchronous_commit"),
                setting("fsync"));
        List<Double> ratios = new ArrayList<>();
        List<Double> ingestRates = new ArrayList<>();
        List<Double> insertRates = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            // Ingest and INSERT alternately, and each round in the other order than the one before, so that a drift
            // of the machine's load during the run weighs on both sides alike.
            boolean ingestFirst = round % 2 == 1;
            String installer = "installer-bench-" + round + "-" + UUID.randomUUID();
            Measured insert = null;
            if (!ingestFirst) {
                insert = measure(() -> singleRowInserts(EVENTS));
            }
            Measured ingest = measure(() -> {
                Ingest done = ingest(installer, EVENTS);
                assertThat(done.rows()).isEqualTo(EVENTS);
                return done.storedPerSecond();
            });
            if (ingestFirst) {
                insert = measure(() -> singleRowInserts(EVENTS));
            }
            double ratio = ingest.rate() / insert.rate();
            ratios.add(ratio);
            ingestRates.add(ingest.rate());
            insertRates.add(insert.rate());
            System.out.printf(
                    "  round %d (%s first): durable ingest %8.1f events/s, INSERT %8.1f TPS, ratio %.2f%n",
                    round, ingestFirst ? "ingest" : "INSERT", ingest.rate(), insert.rate(), ratio);
            System.out.printf(
                    "    ingest: broker accepted %.1f events/s; %s%n", lastPublishedPerSecond, ingest.describe());
            System.out.printf("    INSERT: %s%n", insert.describe());
        }
        System.out.printf(
                "  median of %d rounds: durable ingest %.1f events/s, INSERT %.1f TPS, ratio ingest/insert %.2f"
                        + " (rounds %.2f to %.2f)%n%n",
                ROUNDS,
                median(ingestRates),
                median(insertRates),
                median(ratios),
                ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @FunctionalInterface
    interface Timed {
        double rate() throws Exception;
    }

    /**
     * A rate with what else happened while it was measured, to tell a slow round's cause: the test JVM's garbage
     * collections and CPU (emulator, publisher and service), PostgreSQL's CPU (its server processes), its checkpoints
     * and autovacuum runs, the service's commits, and the events the broker delivered again.
     */
    record Measured(double rate, Snapshot before, Snapshot after) {
        String describe() {
            long commits = after.commits() - before.commits();
            double commitSeconds = after.commitSeconds() - before.commitSeconds();
            return String.format(
                    "%.1f s, CPU: test JVM %.1f s, PostgreSQL %.1f s; GC %d in %d ms; %d commits (mean %.1f ms),"
                            + " %.0f events delivered again; PostgreSQL checkpoints %d, autovacuum %d, autoanalyze"
                            + " %d; load average %.1f",
                    (after.nanos() - before.nanos()) / 1e9,
                    (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1e9,
                    (after.postgresCpuTicks() - before.postgresCpuTicks()) / 100.0,
                    after.gcCount() - before.gcCount(),
                    after.gcMillis() - before.gcMillis(),
                    commits,
                    commits == 0 ? 0 : 1000 * commitSeconds / commits,
                    after.duplicates() - before.duplicates(),
                    after.checkpoints() - before.checkpoints(),
                    after.autovacuums() - before.autovacuums(),
                    after.autoanalyzes() - before.autoanalyzes(),
                    after.loadAverage());
        }
    }

    record Snapshot(
            long nanos,
            long jvmCpuNanos,
            long postgresCpuTicks,
            long gcCount,
            long gcMillis,
            long commits,
            double commitSeconds,
            double duplicates,
            long checkpoints,
            long autovacuums,
            long autoanalyzes,
            double loadAverage) {}

    private Measured measure(Timed timed) throws Exception {
        Snapshot before = snapshot();
        double rate = timed.rate();
        return new Measured(rate, before, snapshot());
    }

    private Snapshot snapshot() throws Exception {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        Timer commit = registry.find("audit.ingest.commit").timer();
        long checkpoints;
        long autovacuums = 0;
        long autoanalyzes = 0;
        try (Connection c = database.superuser();
                Statement s = c.createStatement()) {
            // Counters of the statistics collector, which reports with a delay of up to half a second.
            try (ResultSet rs = s.executeQuery("select checkpoints_timed + checkpoints_req from pg_stat_bgwriter")) {
                rs.next();
                checkpoints = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("select coalesce(sum(autovacuum_count), 0),"
                    + " coalesce(sum(autoanalyze_count), 0) from pg_stat_all_tables")) {
                rs.next();
                autovacuums = rs.getLong(1);
                autoanalyzes = rs.getLong(2);
            }
        }
        return new Snapshot(
                System.nanoTime(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime(),
                postgresCpuTicks(),
                gcCount,
                gcMillis,
                commit == null ? 0 : commit.count(),
                commit == null ? 0 : commit.totalTime(TimeUnit.SECONDS),
                duplicates(),
                checkpoints,
                autovacuums,
                autoanalyzes,
                loadAverage());
    }

    /**
     * CPU clock ticks (1/100 s) of this PostgreSQL: its postmaster (with its reaped children, i.e. every backend that
     * has exited) and its live server processes. -1 where /proc cannot tell.
     */
    private long postgresCpuTicks() throws Exception {
        long postmaster;
        try (Connection c = database.superuser();
                ResultSet rs = c.createStatement()
                        .executeQuery("select pid from pg_stat_activity where backend_type = 'checkpointer'")) {
            if (!rs.next()) {
                return -1;
            }
            postmaster = parentOf(rs.getLong(1));
        }
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] stat = stat(process);
                if (stat == null) {
                    continue;
                }
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid == postmaster) {
                    ticks += Long.parseLong(stat[13])
                            + Long.parseLong(stat[14])
                            + Long.parseLong(stat[15])
                            + Long.parseLong(stat[16]);
                } else if (Long.parseLong(stat[3]) == postmaster) {
                    ticks += Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
                }
            }
        }
        return ticks;
    }

    private static long parentOf(long pid) {
        String[] stat = stat(Path.of("/proc", Long.toString(pid)));
        return stat == null ? -1 : Long.parseLong(stat[3]);
    }

    /** /proc/PID/stat's fields, counted from 0 (pid) as proc(5) counts them from 1; null if it is gone. */
    private static String[] stat(Path process) {
        try {
            String line = Files.readString(process.resolve("stat"));
            // The command name, field 1, is in parentheses and may hold spaces.
            String rest = line.substring(line.lastIndexOf(')') + 2);
            String[] tail = rest.split(" ");
            String[] fields = new String[tail.length + 2];
            fields[0] = line.substring(0, line.indexOf(' '));
            fields[1] = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
            System.arraycopy(tail, 0, fields, 2, tail.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
        // One connection polls the chain's head (an index look-up): a new connection, or a count over the
        // installer's rows, every few milliseconds would take CPU from what is measured.
        try (Connection c = database.superuser();
                PreparedStatement head = c.prepareStatement("select coalesce(max(seq), 0) from audit_event")) {
            long headBefore = value(head);
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
                // Only this run's events are published meanwhile, each distinct, so the head moves by exactly
                // their number.
                while (value(head) - headBefore < count && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                double stored = (System.nanoTime() - start) / 1e9;
                lastPublishedPerSecond = count / published;
                return new Ingest(rowsOf(installer), count / published, count / stored);
            } finally {
                client.disconnect().waitForCompletion(5000);
                client.close();
            }
        }
    }

    private static long value(PreparedStatement query) throws Exception {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * pgbench's shape (one client, one statement per transaction, autocommit) with audit-service's row: a copy of
     * audit_event with its indexes and unique constraints, each INSERT carrying a stored event's column values.
     */
    private double singleRowInserts(int count) throws Exception {
        SecureRandom random = new SecureRandom();
        try (Connection c = database.superuser();
                Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_insert");
            s.execute("create table bench_insert (like audit_event including all)");
            try (ResultSet row = s.executeQuery("select * from audit_event order by seq desc limit 1");
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
