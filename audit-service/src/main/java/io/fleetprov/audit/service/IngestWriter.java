package io.fleetprov.audit.service;

import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.store.AppendResult;
import io.fleetprov.audit.store.AuditEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.audit.store.QuarantinedMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The one writer of the chain. Consumers hand it messages; it drains them in batches, parses each (malformed
 * ones go to quarantine), appends the batch in one transaction and only then acknowledges the messages to the
 * broker. When the database fails it keeps the batch, waits with back-off and tries again — unacknowledged
 * messages stay with the broker, so nothing is lost whether the database or this process goes away.
 */
@ApplicationScoped
public class IngestWriter {

    private static final Logger LOG = Logger.getLogger(IngestWriter.class);

    private final EventStore store;
    private final EventParser parser;
    private final IngestMetrics metrics;
    private final AuditConfig.Ingest config;
    private final BlockingQueue<ReceivedMessage> queue;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;
    private Thread thread;

    public IngestWriter(EventStore store, EventParser parser, IngestMetrics metrics, AuditConfig config) {
        this.store = store;
        this.parser = parser;
        this.metrics = metrics;
        this.config = config.ingest();
        this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
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
    }

    /** Blocks while the writer is behind by a full queue: back-pressure towards the broker. */
    public void submit(ReceivedMessage message) throws InterruptedException {
        queue.put(message);
    }

    /** Null while commits succeed; otherwise why the last one failed. */
    public String lastFailure() {
        return lastFailure.get();
    }

    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<ReceivedMessage> batch = new ArrayList<>(config.batchSize());
        while (running) {
            try {
                ReceivedMessage first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.batchSize() - 1);
                commitWithRetry(batch);
                batch.forEach(m -> m.acknowledge().run());
                batch.clear();
            } catch (InterruptedException e) {
                // Stopping: what is not committed is not acknowledged, and the broker redelivers it.
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("ingest writer failed; its batch stays unacknowledged", e);
                batch.clear();
            }
        }
    }

    private void commitWithRetry(List<ReceivedMessage> batch) throws InterruptedException {
        List<AuditEvent> events = new ArrayList<>(batch.size());
        List<QuarantinedMessage> quarantine = new ArrayList<>();
        for (ReceivedMessage m : batch) {
            try {
                events.add(parser.parse(m.topic(), m.payload(), m.receivedAt()));
            } catch (MalformedEventException e) {
                MDC.put("topic", m.topic());
                LOG.warnf("quarantined a message: %s", e.getMessage());
                MDC.remove("topic");
                quarantine.add(new QuarantinedMessage(m.topic(), m.payload(), e.getMessage(), m.receivedAt()));
            }
        }
        Duration backoff = config.retryBackoff();
        while (true) {
            long started = System.nanoTime();
            try {
                AppendResult result = store.append(events, quarantine);
                metrics.committed(result, Duration.ofNanos(System.nanoTime() - started), Instant.now(clock));
                if (lastFailure.getAndSet(null) != null) {
                    LOG.info("database is back; ingest resumed");
                }
                if (!result.appended().isEmpty()) {
                    MDC.put(
                            "seq",
                            result.appended().get(result.appended().size() - 1).seq());
                    LOG.debugf(
                            "committed %d events (%d duplicates, %d quarantined)",
                            result.appended().size(), result.duplicates(), result.quarantined());
                    MDC.remove("seq");
                }
                return;
            } catch (Exception | AssertionError e) {
                // AssertionError: with assertions on (as in tests), pgjdbc asserts on a connection that the
                // database closed under it, where it would otherwise throw an SQLException; either way, retry.
                metrics.commitFailed();
                if (lastFailure.getAndSet(e.getMessage() == null ? e.toString() : e.getMessage()) == null) {
                    LOG.warnf(
                            "cannot commit %d events, retrying until the database answers: %s",
                            batch.size(), e.getMessage());
                }
                if (!running) {
                    throw new InterruptedException("stopping");
                }
                Thread.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), config.maxRetryBackoff());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
