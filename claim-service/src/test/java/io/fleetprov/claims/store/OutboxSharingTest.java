package io.fleetprov.claims.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.testing.quarkus.PostgresTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two claim-service replicas on one real PostgreSQL, each with its own connection pool and outbox store, relaying
 * at once: every event is taken by exactly one of them, a replica that dies mid-send is covered by the other after
 * the redelivery delay, and an event the broker never confirms is dead-lettered without holding up the rest.
 */
class OutboxSharingTest {

    private static final Duration REDELIVER_AFTER = Duration.ofSeconds(10);
    private static final int MAX_ATTEMPTS = 3;

    private static PostgresTestResource postgres;
    private static PGSimpleDataSource dataSource;

    private OutboxStore replicaA;
    private OutboxStore replicaB;

    @BeforeAll
    static void startDatabase() {
        postgres = PostgresTestResource.migrated();
        dataSource = postgres.dataSource();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.execute("truncate outbox");
        }
        // One data source object each, as two processes would have: nothing in Java is shared between them.
        replicaA = new OutboxStore(copyOf(dataSource));
        replicaB = new OutboxStore(copyOf(dataSource));
    }

    @Test
    void twoReplicasDeliverEveryEventExactlyOnce() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        int events = 2000;
        List<UUID> written = append(replicaA, events, now);

        Map<UUID, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> relays = new ArrayList<>();
            for (OutboxStore replica : List.of(replicaA, replicaB)) {
                relays.add(pool.submit(() -> {
                    start.await();
                    int taken = 0;
                    List<OutboxEntry> batch;
                    do {
                        batch = replica.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 17);
                        for (OutboxEntry entry : batch) {
                            deliveries
                                    .computeIfAbsent(entry.eventId(), id -> new AtomicInteger())
                                    .incrementAndGet();
                            replica.confirm(List.of(new OutboxStore.Delivered(entry.eventId(), entry.payload())), now);
                        }
                        taken += batch.size();
                    } while (!batch.isEmpty());
                    return taken;
                }));
            }
            start.countDown();
            int takenByA = relays.get(0).get();
            int takenByB = relays.get(1).get();
            assertThat(takenByA + takenByB).isEqualTo(events);
            // Both really worked in parallel; otherwise this test would prove nothing about sharing.
            assertThat(takenByA).isPositive();
            assertThat(takenByB).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(replicaB.backlog()).isZero();
    }

    @Test
    void eventsOfAReplicaThatDiedAreSentByTheOtherAfterTheRedeliveryDelay() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<UUID> written = append(replicaA, 10, now);

        // Replica A takes everything and dies before the broker confirmed anything.
        assertThat(replicaA.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 100))
                .hasSize(10);
        Instant soon = now.plusSeconds(1);
        assertThat(replicaB.take(soon, soon.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 100))
                .isEmpty();

        Instant later = now.plus(REDELIVER_AFTER).plusSeconds(1);
        List<OutboxEntry> retaken = replicaB.take(later, later.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 100);
        assertThat(retaken).extracting(OutboxEntry::eventId).containsExactlyElementsOf(written);
        assertThat(retaken).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(2));
    }

    @Test
    void anEventNeverConfirmedIsDeadLetteredAndTheOthersFlow() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        UUID poison = append(replicaA, 1, t).get(0);
        List<UUID> healthy = append(replicaA, 5, t);

        List<UUID> delivered = new ArrayList<>();
        for (int round = 0; round < MAX_ATTEMPTS + 2; round++) {
            Instant now = t.plus(REDELIVER_AFTER.multipliedBy(round)).plusSeconds(round);
            OutboxStore replica = round % 2 == 0 ? replicaA : replicaB;
            replica.deadLetterExhausted(MAX_ATTEMPTS, now.minus(REDELIVER_AFTER), "unconfirmed", now);
            for (OutboxEntry entry : replica.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 100)) {
                if (!entry.eventId().equals(poison)) {
                    replica.confirm(List.of(new OutboxStore.Delivered(entry.eventId(), entry.payload())), now);
                    delivered.add(entry.eventId());
                }
            }
        }
        assertThat(delivered).containsExactlyElementsOf(healthy);
        assertThat(replicaA.backlog()).isZero();
        assertThat(replicaA.deadLetters()).isEqualTo(1);
    }

    @Test
    void aSendThatNeverReachedTheBrokerIsReleasedWithoutCounting() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        append(replicaA, 1, now);
        OutboxEntry entry =
                replicaA.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 10).get(0);
        replicaA.release(entry.id());

        OutboxEntry again =
                replicaB.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 10).get(0);
        assertThat(again.eventId()).isEqualTo(entry.eventId());
        assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void onlyTheMessageAsWrittenConfirmsAnEvent() {
        // Event ids can be read off the topic by any subscriber; a message that merely names one must not stop the
        // event's delivery. Only the signed bytes the outbox holds (which nobody else can produce) confirm it.
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        append(replicaA, 1, now);
        OutboxEntry entry =
                replicaA.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 10).get(0);

        assertThat(replicaB.confirm(
                        List.of(new OutboxStore.Delivered(
                                entry.eventId(), entry.payload().replace("}", ",\"x\":1}"))),
                        now))
                .isZero();
        assertThat(replicaB.backlog()).isEqualTo(1);
        assertThat(replicaB.confirm(List.of(new OutboxStore.Delivered(entry.eventId(), entry.payload())), now))
                .isEqualTo(1);
        assertThat(replicaB.backlog()).isZero();
    }

    @Test
    void deliveredEventsArePrunedAfterTheirRetentionAndNothingElse() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        append(replicaA, 6, now);
        List<OutboxEntry> taken = replicaA.take(now, now.minus(REDELIVER_AFTER), MAX_ATTEMPTS, 10);
        List<OutboxStore.Delivered> delivered = taken.stream()
                .map(e -> new OutboxStore.Delivered(e.eventId(), e.payload()))
                .toList();
        assertThat(replicaA.confirm(delivered.subList(0, 3), now)).isEqualTo(3);
        assertThat(replicaA.confirm(delivered.subList(3, 4), now.plus(Duration.ofDays(2))))
                .isEqualTo(1);
        replicaA.deadLetter(taken.get(4).id(), "unconfirmed", now);

        Instant retainedFrom = now.plus(Duration.ofDays(1));
        assertThat(replicaB.pruneDelivered(retainedFrom, 2)).isEqualTo(2);
        assertThat(replicaB.pruneDelivered(retainedFrom, 2)).isEqualTo(1);
        assertThat(replicaB.pruneDelivered(retainedFrom, 2)).isZero();
        // Left: the event delivered later, the dead letter, and the one not delivered yet.
        try (var c = dataSource.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("select count(*) from outbox")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
        assertThat(replicaB.backlog()).isEqualTo(1);
        assertThat(replicaB.deadLetters()).isEqualTo(1);
    }

    private static List<UUID> append(OutboxStore store, int n, Instant now) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            store.append(id, "fleetprov/events/Test", "{\"eventId\":\"" + id + "\"}", now);
            ids.add(id);
        }
        return ids;
    }

    private static PGSimpleDataSource copyOf(PGSimpleDataSource original) {
        PGSimpleDataSource copy = new PGSimpleDataSource();
        copy.setUrl(original.getUrl());
        copy.setUser(original.getUser());
        copy.setPassword(original.getPassword());
        return copy;
    }
}
