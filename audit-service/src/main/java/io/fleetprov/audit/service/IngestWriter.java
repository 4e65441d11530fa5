package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.store.AppendResult;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.audit.store.HashChain;
import io.fleetprov.audit.store.PreparedEvent;
import io.fleetprov.audit.store.QuarantinedMessage;
import io.fleetprov.audit.store.SignedBatchRecord;
import io.fleetprov.audit.store.WriteFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The one writer of the chain. Consumers hand it messages; each is parsed and its signature verified as soon as it
 * arrives, on a pool of threads (events are independent of each other, and verifying an ES256 signature costs more
 * than storing the event); the writer takes them in arrival order, waiting for each one's parse, so the chain keeps
 * the order in which the broker delivered them. It drains them in batches (malformed ones, and values the database
 * could not hold, go to quarantine), appends the batch in one transaction and only then acknowledges the messages to
 * the broker. A message may itself be a producer's signed batch of events (fleet-protocol's {@code SignedBatch}): its
 * events become rows in batch order, an unreadable one is quarantined alone, and the message is acknowledged only
 * once all of them are committed.
 *
 * <p>A failed append is one of two things ({@link WriteFailure}). The database is down or refusing work: the writer
 * keeps the batch, pauses with back-off and tries again — unacknowledged messages stay with the broker, so nothing
 * is lost whether the database or this process goes away. Or the batch holds a row the database refuses for what it
 * is: retrying would refuse it forever, so the writer appends the batch row by row, quarantines each row refused with
 * the database's reason, and goes on.
 */
@ApplicationScoped
public class IngestWriter {

    private static final Logger LOG = Logger.getLogger(IngestWriter.class);

    /** Committed messages remembered: well over the broker's window of 100 unacknowledged per session, many times. */
    private static final int REMEMBERED = 10_000;

    private final EventStore store;
    private final EventParser parser;
    private final IngestMetrics metrics;
    private final CheckpointService checkpoints;
    private final IngestSpans spans;
    private final AuditConfig.Ingest config;
    private final BlockingQueue<Pending> queue;
    private final ExecutorService parsers;
    private final AtomicReference<WriteFailure> outage = new AtomicReference<>();
    /**
     * The {@link #key}s of the latest messages whose events were committed, each with the number of its events (what a
     * redelivery of it counts as duplicates). Only committed ones: a message dropped
     * unacknowledged is read again when the broker redelivers it. Messages that were only quarantined are not
     * remembered, so each delivery of one is quarantined as before.
     */
    private final Map<String, Integer> committed = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    });

    /**
     * The {@link #key}s of messages read (or being read) and not yet committed. A redelivery of one — the broker resends
     * whatever stays unacknowledged 5 s, a whole window of signed batches at a time when a commit is slow — is not read
     * again: it is acknowledged after the commit of its first delivery (ahead of it in the queue), or, should that
     * one not have been committed (quarantined, or its batch dropped), read after all.
     */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private final AtomicLong quarantined = new AtomicLong();
    private volatile String lastQuarantineReason;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;
    private Thread thread;

    public IngestWriter(
            EventStore store,
            EventParser parser,
            IngestMetrics metrics,
            CheckpointService checkpoints,
            IngestSpans spans,
            AuditConfig config) {
        this.store = store;
        this.parser = parser;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.spans = spans;
        this.config = config.ingest();
        this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
        AtomicInteger threads = new AtomicInteger();
        this.parsers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "audit-ingest-parser-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "audit-ingest-writer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
        parsers.shutdownNow();
    }

    /** Blocks while the writer is behind by a full queue: back-pressure towards the broker. */
    public void submit(ReceivedMessage message) throws InterruptedException {
        // The parse starts now, in parallel with others; its place in the queue is taken now, in arrival order.
        String key = key(message);
        CompletableFuture<Parse> parse;
        Integer events = committed.get(key);
        if (events != null) {
            // The broker's redelivery of a message whose events are already committed (it resends what it has had
            // in flight too long, a whole signed batch at a time): nothing to read or verify again. It is
            // acknowledged, like every message, after the commit of the batch it is drained with.
            parse = CompletableFuture.completedFuture(Parse.resent(events));
        } else if (!pending.add(key)) {
            // The broker's resend of a message still on its way to the chain: decided by the writer (commit).
            parse = CompletableFuture.completedFuture(Parse.AWAITS_FIRST_DELIVERY);
        } else {
            try {
                parse = CompletableFuture.supplyAsync(() -> parse(message), parsers);
            } catch (RejectedExecutionException e) {
                // Stopping: the message stays unacknowledged, and the broker redelivers it to the next run.
                pending.remove(key);
                return;
            }
        }
        queue.put(new Pending(message, parse, key));
    }

    /** Null while commits succeed; otherwise the database outage that pauses ingest. */
    public WriteFailure outage() {
        return outage.get();
    }

    /** Null while commits succeed; otherwise why the last one failed. */
    public String lastFailure() {
        WriteFailure failure = outage.get();
        return failure == null ? null : failure.describe();
    }

    /** Messages quarantined since this process started. */
    public long quarantined() {
        return quarantined.get();
    }

    /** The reason of the newest quarantined message, or null. */
    public String lastQuarantineReason() {
        return lastQuarantineReason;
    }

    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(config.batchSize());
        while (running) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                commit(batch);
                for (Pending p : batch) {
                    Parse parse = p.parse().isCompletedExceptionally()
                            ? null
                            : p.parse().getNow(null);
                    if (parse != null && !parse.events().isEmpty()) {
                        committed.put(p.key(), parse.events().size());
                    }
                }
                // Remembered as committed first, so that a resend arriving now is recognised either way.
                batch.forEach(p -> pending.remove(p.key()));
                batch.forEach(p -> p.message().acknowledge().run());
                batch.clear();
            } catch (InterruptedException e) {
                // Stopping: what is not committed is not acknowledged, and the broker redelivers it.
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("ingest writer failed; its batch stays unacknowledged", e);
                batch.forEach(p -> pending.remove(p.key()));
                batch.clear();
            }
        }
    }

    /**
     * Adds what is queued, and what arrives within {@code audit.ingest.linger}, up to a batch: under load events
     * arrive a few at a time, and a commit each cost the database more statements than the events themselves.
     */
    private void gather(List<Pending> batch) throws InterruptedException {
        queue.drainTo(batch, config.batchSize() - batch.size());
        long deadline = System.nanoTime() + config.linger().toNanos();
        long wait;
        while (batch.size() < config.batchSize() && (wait = deadline - System.nanoTime()) > 0) {
            Pending next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, config.batchSize() - batch.size());
        }
    }

    /** Returns once every message of the batch is either on the chain or in quarantine. */
    private void commit(List<Pending> batch) throws InterruptedException {
        List<Parsed> events = new ArrayList<>(batch.size());
        List<QuarantinedMessage> quarantine = new ArrayList<>();
        List<SignedBatchRecord> signedBatches = new ArrayList<>();
        int resent = 0;
        // Messages of this batch whose events it appends: a resend behind one of them is committed with it.
        Map<String, Integer> appending = new HashMap<>();
        for (Pending p : batch) {
            Parse parse;
            try {
                parse = p.parse().get();
            } catch (ExecutionException e) {
                parse = Parse.refused(p.message().payload(), "unreadable: " + e.getCause());
            }
            if (parse == Parse.AWAITS_FIRST_DELIVERY) {
                Integer held = appending.get(p.key());
                if (held == null) {
                    held = committed.get(p.key());
                }
                // Its first delivery is committed (or is in this transaction): a duplicate. Otherwise it was
                // quarantined or dropped, and this delivery is read as any other.
                parse = held != null ? Parse.resent(held) : parse(p.message());
            }
            if (!parse.events().isEmpty()) {
                appending.put(p.key(), parse.events().size());
            }
            // A signed batch's events each become a row, and each refused one goes to quarantine alone: one bad
            // event does not cost the batch's others. The message is acknowledged once all of them are stored.
            for (Item item : parse.events()) {
                events.add(new Parsed(p.message(), item.event(), item.raw()));
            }
            for (Refusal refusal : parse.refusals()) {
                quarantine.add(quarantine(p.message(), refusal.raw(), refusal.reason()));
            }
            if (parse.batch() != null) {
                signedBatches.add(parse.batch());
            }
            resent += parse.resent();
        }
        Duration backoff = config.retryBackoff();
        while (true) {
            WriteFailure failure = append(events, quarantine, signedBatches);
            if (failure != null && !failure.isOutage()) {
                LOG.warnf(
                        "the database refused a batch of %d events for its content (%s); appending them one by one",
                        events.size(), failure.describe());
                failure = appendOneByOne(events, quarantine, signedBatches);
            }
            if (failure == null) {
                // Redeliveries skipped unread are duplicates as much as those the store recognises by event id.
                metrics.duplicates(resent);
                if (outage.getAndSet(null) != null) {
                    LOG.info("database is back; ingest resumed");
                }
                return;
            }
            if (outage.getAndSet(failure) == null) {
                LOG.warnf(
                        "database unavailable, ingest paused with %d events waiting; retrying until it answers: %s",
                        events.size() + quarantine.size(), failure.describe());
            }
            if (!running) {
                throw new InterruptedException("stopping");
            }
            Thread.sleep(backoff.toMillis());
            backoff = min(backoff.multipliedBy(2), config.maxRetryBackoff());
        }
    }

    /**
     * Each event alone, in order, then the quarantine. What is stored leaves the lists, so that after an outage in
     * the middle only the rest is tried again. Returns the outage that interrupted it, or null.
     */
    private WriteFailure appendOneByOne(
            List<Parsed> events, List<QuarantinedMessage> quarantine, List<SignedBatchRecord> signedBatches) {
        while (!events.isEmpty()) {
            Parsed next = events.get(0);
            // With the batch it came in, if any: stored once however often it is named.
            List<SignedBatchRecord> itsBatch = signedBatches.stream()
                    .filter(b -> b.digest().equals(next.event().event().signedBatch()))
                    .limit(1)
                    .collect(Collectors.toCollection(ArrayList::new));
            WriteFailure failure = append(new ArrayList<>(List.of(next)), new ArrayList<>(), itsBatch);
            if (failure != null && failure.isOutage()) {
                return failure;
            }
            if (failure != null) {
                quarantine.add(
                        quarantine(next.message(), next.raw(), "refused by the database: " + failure.describe()));
            }
            events.remove(0);
        }
        signedBatches.clear();
        WriteFailure failure = append(events, quarantine, new ArrayList<>());
        if (failure == null || failure.isOutage()) {
            return failure;
        }
        // Quarantine rows are bounded and cleaned (QuarantinedMessage), so this is not expected; but a row that
        // cannot even be quarantined must not stop everything behind it.
        while (!quarantine.isEmpty()) {
            QuarantinedMessage q = quarantine.get(0);
            failure = append(new ArrayList<>(), new ArrayList<>(List.of(q)), new ArrayList<>());
            if (failure != null && failure.isOutage()) {
                return failure;
            }
            if (failure != null) {
                metrics.dropped();
                LOG.errorf(
                        "dropped a message that could not even be quarantined (%s): topic %s, %d bytes, reason %s",
                        failure.describe(), q.topic(), q.payload().length, q.reason());
            }
            quarantine.remove(0);
        }
        return null;
    }

    /** Appends the lists in one transaction and empties them; on failure leaves them as they were. */
    private WriteFailure append(
            List<Parsed> events, List<QuarantinedMessage> quarantine, List<SignedBatchRecord> signedBatches) {
        long started = System.nanoTime();
        AppendResult result;
        try {
            result = store.appendPrepared(events.stream().map(Parsed::event).toList(), quarantine, signedBatches);
        } catch (Exception | AssertionError e) {
            metrics.commitFailed();
            return WriteFailure.of(e);
        }
        // Committed: nothing below may count as a failed append.
        try {
            metrics.committed(result, Duration.ofNanos(System.nanoTime() - started), Instant.now(clock));
            quarantined.addAndGet(result.quarantined());
            if (!result.appended().isEmpty()) {
                var head = result.appended().get(result.appended().size() - 1);
                MDC.put("seq", head.seq());
                LOG.debugf(
                        "committed %d events (%d duplicates, %d quarantined)",
                        result.appended().size(), result.duplicates(), result.quarantined());
                MDC.remove("seq");
                checkpoints.committed(head);
                spans.recorded(result.appended());
            }
        } catch (RuntimeException e) {
            LOG.error("bookkeeping after a commit failed", e);
        }
        events.clear();
        quarantine.clear();
        signedBatches.clear();
        return null;
    }

    /**
     * Runs on the parser pool: reads and verifies one message (a single event or a signed batch), or says why it, or
     * which of its events, go to quarantine.
     */
    private Parse parse(ReceivedMessage m) {
        try {
            if (parser.isBatch(m.topic(), m.payload())) {
                EventParser.BatchContent content = parser.parseBatch(m.topic(), m.payload(), m.receivedAt());
                List<Item> items = new ArrayList<>(content.events().size());
                for (EventParser.BatchContent.Read read : content.events()) {
                    // Should the database refuse the row, what is quarantined is this event's envelope as signed.
                    items.add(new Item(HashChain.prepare(read.event()), read.envelope()));
                }
                List<Refusal> refusals = content.refused().stream()
                        .map(r -> new Refusal(r.envelope(), r.reason()))
                        .toList();
                return new Parse(items, refusals, content.batch(), 0);
            }
            AuditEvent event = parser.parse(m.topic(), m.payload(), m.receivedAt());
            EventLimits.check(event);
            return new Parse(List.of(new Item(HashChain.prepare(event), m.payload())), List.of(), null, 0);
        } catch (MalformedEventException e) {
            return Parse.refused(m.payload(), e.getMessage());
        } catch (RuntimeException e) {
            return Parse.refused(m.payload(), "unreadable: " + e);
        }
    }

    private QuarantinedMessage quarantine(ReceivedMessage m, byte[] raw, String reason) {
        // Topic and reason as bounded for storage: either may quote a hostile value of any length.
        QuarantinedMessage q = new QuarantinedMessage(m.topic(), raw, reason, m.receivedAt());
        MDC.put("topic", q.topic());
        LOG.warnf("quarantined a message: %s", q.reason());
        MDC.remove("topic");
        lastQuarantineReason = q.reason();
        return q;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** An event to append, the message that brought it and the bytes to quarantine should its row be refused. */
    private record Parsed(ReceivedMessage message, PreparedEvent event, byte[] raw) {}

    /** A message in arrival order with its parse, which may still be running, and its {@link #key}. */
    private record Pending(ReceivedMessage message, CompletableFuture<Parse> parse, String key) {}

    /** Topic and SHA-256 of the payload: the same message, whichever delivery of it. */
    private static String key(ReceivedMessage m) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(m.topic().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return HexFormat.of().formatHex(sha256.digest(m.payload()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * What a message holds: its events (one, or a batch's), what of it goes to quarantine and why (the whole message,
     * or single events of a batch), the signed batch to keep, if it is one, and, for a redelivery of a committed
     * message that is not read again, how many events it held.
     */
    private record Parse(List<Item> events, List<Refusal> refusals, SignedBatchRecord batch, int resent) {

        /** A resend of a message whose first delivery is still pending: the writer decides (see {@link #pending}). */
        static final Parse AWAITS_FIRST_DELIVERY = new Parse(List.of(), List.of(), null, 0);

        static Parse resent(int events) {
            return new Parse(List.of(), List.of(), null, events);
        }

        static Parse refused(byte[] payload, String reason) {
            return new Parse(List.of(), List.of(new Refusal(payload, reason)), null, 0);
        }
    }

    private record Item(PreparedEvent event, byte[] raw) {}

    private record Refusal(byte[] raw, String reason) {}
}
