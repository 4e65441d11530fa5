package io.fleetprov.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.audit.config.AuditConfig;
import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.CheckpointFiles;
import io.fleetprov.audit.store.EventStore;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Anchors the chain outside the database: every {@code audit.checkpoint.every-events} appended events, and every
 * {@code audit.checkpoint.every} while the head moves, it writes the head's sequence number and hash, signed (ES256),
 * to the checkpoint directory. Whoever owns the database can rewrite rows and recompute every hash after them, or
 * delete the newest rows, and the chain still verifies; it no longer matches these files.
 */
@ApplicationScoped
public class CheckpointService {

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final EventStore store;
    private final AuditConfig.Checkpoint config;
    private final Clock clock = Clock.systemUTC();
    private CheckpointFiles files;
    private CheckpointSigner signer;
    private boolean opened;
    private long lastSeq;
    private volatile String lastFailure;

    public CheckpointService(EventStore store, AuditConfig config) {
        this.store = store;
        this.config = config.checkpoint();
    }

    /** Opens the directory and the key at start, so that a bad key or an unwritable directory stops the service. */
    void start(@Observes StartupEvent event) {
        open();
    }

    public synchronized boolean enabled() {
        open();
        return files != null;
    }

    /** After each commit: writes a checkpoint when enough events have been appended since the last one. */
    public synchronized void committed(ChainedEvent head) {
        open();
        if (files != null && head.seq() - lastSeq >= config.everyEvents()) {
            write(head.seq(), head.hash());
        }
    }

    @Scheduled(
            every = "{audit.checkpoint.every}",
            delayed = "{audit.checkpoint.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodic() {
        try {
            checkpointNow();
        } catch (RuntimeException e) {
            LOG.debugf("no periodic checkpoint: %s", e.getMessage());
        }
    }

    /** Writes a checkpoint of the current head unless the newest one already covers it; returns the newest. */
    public synchronized Optional<Checkpoint> checkpointNow() {
        open();
        if (files == null) {
            return Optional.empty();
        }
        Optional<ChainedEvent> head = store.head();
        if (head.isPresent() && head.get().seq() > lastSeq) {
            write(head.get().seq(), head.get().hash());
        }
        return newest();
    }

    /** Null while checkpoints are written; otherwise why the last one could not be. */
    public String lastFailure() {
        return lastFailure;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Every checkpoint in the directory whose signature verifies, oldest first, and the files that do not. */
    public synchronized Loaded load() {
        open();
        if (files == null) {
            return new Loaded(false, List.of(), List.of());
        }
        List<Checkpoint> valid = new ArrayList<>();
        List<String> unverifiable = new ArrayList<>();
        for (Path file : files.all()) {
            Optional<Checkpoint> checkpoint = signer.verify(files.read(file)).flatMap(CheckpointService::parse);
            if (checkpoint.isPresent()
                    && file.getFileName()
                            .toString()
                            .contains(String.format("%020d", checkpoint.get().seq()))) {
                valid.add(checkpoint.get());
            } else {
                unverifiable.add(file.getFileName().toString());
            }
        }
        return new Loaded(true, valid, unverifiable);
    }

    private Optional<Checkpoint> newest() {
        List<Checkpoint> all = load().checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private void write(long seq, byte[] hash) {
        Instant now = Instant.now(clock);
        String payload = JSON.createObjectNode()
                .put("seq", seq)
                .put("hash", HEX.formatHex(hash))
                .put("createdAt", now.toString())
                .toString();
        try {
            Path file = files.write(seq, signer.sign(payload));
            lastSeq = seq;
            if (lastFailure != null) {
                LOG.info("checkpoints are written again");
                lastFailure = null;
            }
            LOG.debugf("checkpoint of link %d written to %s", seq, file);
        } catch (IOException | RuntimeException e) {
            // Ingest goes on: the rows are safe in the database; only their outside anchor lags.
            if (lastFailure == null) {
                LOG.errorf("cannot write a checkpoint to %s: %s", files.directory(), e.getMessage());
            }
            lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        Optional<Path> directory = config.directory();
        if (directory.isEmpty()) {
            LOG.warn("audit.checkpoint.directory is not set: the chain head is not anchored outside the database");
            return;
        }
        files = new CheckpointFiles(directory.get());
        signer = CheckpointSigner.open(config.signingKeyFile(), directory.get());
        List<Path> existing = files.all();
        if (!existing.isEmpty()) {
            signer.verify(files.read(existing.get(existing.size() - 1)))
                    .flatMap(CheckpointService::parse)
                    .ifPresent(c -> lastSeq = c.seq());
        }
        LOG.infof(
                "checkpoints of the chain head go to %s, signed with key %s (newest: link %d)",
                directory.get(), signer.keyId(), lastSeq);
    }

    private static Optional<Checkpoint> parse(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return Optional.of(new Checkpoint(
                    node.get("seq").asLong(),
                    node.get("hash").asText(),
                    Instant.parse(node.get("createdAt").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the checkpoint directory holds: {@code configured} is false when there is none. */
    public record Loaded(boolean configured, List<Checkpoint> checkpoints, List<String> unverifiable) {}
}
