package io.fleetprov.audit.service;

import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.audit.store.HashChain;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Re-computes the chain over a range and stops at the first link that does not hold: a row whose content no
 * longer matches its hash, whose prev_hash is not the previous row's hash, or a missing sequence number.
 */
@ApplicationScoped
public class IntegrityService {

    private static final HexFormat HEX = HexFormat.of();

    private final EventStore store;
    private final CheckpointService checkpoints;

    public IntegrityService(EventStore store, CheckpointService checkpoints) {
        this.store = store;
        this.checkpoints = checkpoints;
    }

    /**
     * The chain from {@code fromSeq} (default 1) to {@code toSeq} (default: the head), and the signed checkpoints in
     * that range; up to the head, also whether the chain still reaches the newest checkpoint.
     */
    public IntegrityReport verify(Long fromSeq, Long toSeq) {
        long head = store.headSeq();
        IntegrityReport chain = chain(fromSeq, toSeq, head);
        IntegrityReport.Anchor anchor = anchor(chain.from(), toSeq == null ? Long.MAX_VALUE : chain.to(), head);
        return new IntegrityReport(
                chain.intact() && anchor.holds(),
                chain.from(),
                chain.to(),
                chain.verified(),
                chain.lastVerifiedHash(),
                chain.firstBrokenLink(),
                anchor);
    }

    private IntegrityReport.Anchor anchor(long from, long to, long head) {
        CheckpointService.Loaded loaded = checkpoints.load();
        if (!loaded.configured()) {
            return new IntegrityReport.Anchor("not-configured", 0, null, null, null, head, null, null, null);
        }
        List<String> unverifiable = loaded.unverifiable().isEmpty()
                ? null
                : loaded.unverifiable()
                        .subList(0, Math.min(20, loaded.unverifiable().size()));
        List<Checkpoint> inRange = loaded.checkpoints().stream()
                .filter(c -> c.seq() >= from && c.seq() <= to)
                .toList();
        if (inRange.isEmpty()) {
            String status = unverifiable == null ? "none" : "unverifiable";
            return new IntegrityReport.Anchor(status, 0, null, null, null, head, null, null, unverifiable);
        }
        Map<Long, byte[]> stored = store.hashesAt(
                inRange.stream().map(Checkpoint::seq).filter(seq -> seq <= head).toList());
        int compared = 0;
        for (Checkpoint c : inRange) {
            if (c.seq() > head) {
                continue;
            }
            compared++;
            byte[] hash = stored.get(c.seq());
            if (hash == null || !HEX.formatHex(hash).equals(c.hash())) {
                return new IntegrityReport.Anchor(
                        "rewritten",
                        compared,
                        c.seq(),
                        c.hash(),
                        c.createdAt(),
                        head,
                        hash == null ? null : HEX.formatHex(hash),
                        hash == null
                                ? "link " + c.seq() + ", signed at " + c.createdAt() + ", is missing"
                                : "link " + c.seq() + " is not the link the checkpoint of " + c.createdAt()
                                        + " signed: the chain was rewritten from there or before",
                        unverifiable);
            }
        }
        Checkpoint newest = inRange.get(inRange.size() - 1);
        if (newest.seq() > head) {
            return new IntegrityReport.Anchor(
                    "truncated",
                    compared,
                    newest.seq(),
                    newest.hash(),
                    newest.createdAt(),
                    head,
                    null,
                    "the checkpoint of " + newest.createdAt() + " anchors link " + newest.seq()
                            + " but the chain ends at link " + head + ": links " + (head + 1) + " to " + newest.seq()
                            + " were deleted",
                    unverifiable);
        }
        return new IntegrityReport.Anchor(
                unverifiable == null ? "matches" : "unverifiable",
                compared,
                newest.seq(),
                newest.hash(),
                newest.createdAt(),
                head,
                newest.hash(),
                null,
                unverifiable);
    }

    private IntegrityReport chain(Long fromSeq, Long toSeq, long head) {
        long from = fromSeq == null ? 1 : fromSeq;
        long to = toSeq == null ? head : toSeq;
        if (from < 1 || to < from - 1 || to > head) {
            throw new InvalidRequestException("range must satisfy 1 <= from <= to <= " + head);
        }
        byte[] start;
        if (from == 1) {
            start = HashChain.GENESIS;
        } else {
            ChainedEvent before = store.bySeq(from - 1).orElse(null);
            if (before == null) {
                return new IntegrityReport(
                        false,
                        from,
                        to,
                        0,
                        null,
                        new IntegrityReport.BrokenLink(from - 1, null, "link missing", null, null),
                        null);
            }
            start = before.hash();
        }
        AtomicReference<byte[]> prev = new AtomicReference<>(start);
        AtomicLong expectedSeq = new AtomicLong(from);
        AtomicReference<IntegrityReport.BrokenLink> broken = new AtomicReference<>();
        store.forEachInRange(from, to, row -> {
            if (row.seq() != expectedSeq.get()) {
                broken.set(new IntegrityReport.BrokenLink(expectedSeq.get(), null, "link missing", null, null));
                return false;
            }
            byte[] expected = HashChain.hash(prev.get(), row.seq(), row.event());
            if (!Arrays.equals(expected, row.hash())) {
                String problem = Arrays.equals(prev.get(), row.prevHash())
                        ? "content does not match its hash"
                        : "prev_hash is not the previous link's hash";
                broken.set(new IntegrityReport.BrokenLink(
                        row.seq(), row.event().eventId(), problem, HEX.formatHex(expected), HEX.formatHex(row.hash())));
                return false;
            }
            prev.set(row.hash());
            expectedSeq.incrementAndGet();
            return true;
        });
        if (broken.get() == null && expectedSeq.get() <= to) {
            broken.set(new IntegrityReport.BrokenLink(expectedSeq.get(), null, "link missing", null, null));
        }
        long verified = expectedSeq.get() - from;
        String lastHash = verified == 0 ? null : HEX.formatHex(prev.get());
        return new IntegrityReport(broken.get() == null, from, to, verified, lastHash, broken.get(), null);
    }
}
