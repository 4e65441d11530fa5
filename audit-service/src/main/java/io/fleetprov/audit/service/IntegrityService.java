package io.fleetprov.audit.service;

import io.fleetprov.audit.store.ChainedEvent;
import io.fleetprov.audit.store.EventStore;
import io.fleetprov.audit.store.HashChain;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.HexFormat;
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

    public IntegrityService(EventStore store) {
        this.store = store;
    }

    public IntegrityReport verify(Long fromSeq, Long toSeq) {
        long head = store.headSeq();
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
                        new IntegrityReport.BrokenLink(from - 1, null, "link missing", null, null));
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
        return new IntegrityReport(broken.get() == null, from, to, verified, lastHash, broken.get());
    }
}
