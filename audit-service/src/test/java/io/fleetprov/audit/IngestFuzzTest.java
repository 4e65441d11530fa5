package io.fleetprov.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.audit.service.IngestWriter;
import io.fleetprov.audit.service.IntegrityReport;
import io.fleetprov.audit.service.IntegrityService;
import io.fleetprov.audit.service.ReceivedMessage;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated messages ({@link HostileEvents}) straight into the ingest writer, against the real PostgreSQL:
 * none stalls it, each is either on the chain, in quarantine or a redelivery of one on the chain, and the chain
 * (with its checkpoints) is intact afterwards. A seed is printed; {@code -Dfuzz.seed=} replays it.
 */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class IngestFuzzTest {

    private static final int MESSAGES = Integer.getInteger("fuzz.messages", 10_000);

    @Inject
    IngestWriter writer;

    @Inject
    IntegrityService integrity;

    @InjectDatabase
    TestDatabase database;

    @Test
    void tenThousandHostileMessagesAreEachStoredOrQuarantinedAndTheChainHolds() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("IngestFuzzTest seed " + seed + " (-Dfuzz.seed=" + seed + " replays it)");
        HostileEvents events = new HostileEvents(seed, false);
        // One receive time for this run's messages alone: both tables keep it, so they can be counted exactly
        // whatever else the service ingests meanwhile.
        Instant receivedAt = Instant.now()
                .minus(3650, ChronoUnit.DAYS)
                .plusMillis(seed & 0xFFFF)
                .truncatedTo(ChronoUnit.MILLIS);
        CountDownLatch acknowledged = new CountDownLatch(MESSAGES);
        AtomicInteger acks = new AtomicInteger();
        List<HostileEvents.Message> redeliveries = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            HostileEvents.Message m = events.next();
            if (m.redeliveryOf() != null) {
                redeliveries.add(m);
            }
            writer.submit(new ReceivedMessage(m.topic(), m.payload(), receivedAt, () -> {
                acks.incrementAndGet();
                acknowledged.countDown();
            }));
        }
        assertThat(acknowledged.await(55, TimeUnit.SECONDS))
                .as("every message acknowledged (%d of %d), so the writer never stalled", acks.get(), MESSAGES)
                .isTrue();
        System.out.printf(
                "IngestFuzzTest: %d messages through the writer in %d ms%n",
                MESSAGES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        Set<String> stored = storedIds(receivedAt);
        long quarantined = count("select count(*) from quarantined_event where received_at = ?", receivedAt);
        long redeliveredStored = redeliveries.stream()
                .filter(m -> stored.contains(m.redeliveryOf()))
                .count();
        System.out.printf(
                "IngestFuzzTest: %d stored, %d quarantined, %d redeliveries of stored events%n",
                stored.size(), quarantined, redeliveredStored);
        assertThat(stored.size() + quarantined + redeliveredStored).isEqualTo(MESSAGES);
        assertThat(stored).hasSizeGreaterThan(MESSAGES / 10);
        assertThat(quarantined).isGreaterThan(MESSAGES / 10);
        assertThat(count("select count(*) from quarantined_event where received_at = ? and reason = ''", receivedAt))
                .isZero();

        IntegrityReport report = integrity.verify(null, null);
        assertThat(report.firstBrokenLink()).isNull();
        assertThat(report.intact()).isTrue();
        assertThat(writer.outage()).isNull();
    }

    private Set<String> storedIds(Instant receivedAt) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select event_id from audit_event where received_at = ?")) {
            ps.setObject(1, receivedAt.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private long count(String sql, Instant receivedAt) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, receivedAt.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
