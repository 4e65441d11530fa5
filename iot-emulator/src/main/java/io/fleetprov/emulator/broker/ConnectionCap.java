package io.fleetprov.emulator.broker;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the broker's connections under the process's open-file limit. Past that limit every accept fails with "Too
 * many open files" and Netty logs a stack trace for each, thousands a second under load, while the HTTP API and the
 * data directory can no longer open anything either. A connection beyond the cap is closed as soon as it is
 * accepted, before its TLS handshake, and the refusals are logged at most once every {@link #LOG_EVERY}.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {

    static final String NAME = "fleetprov-connection-cap";

    /** Files the emulator keeps for itself: jars, the HTTP server's connections, the data directory, epoll. */
    static final long RESERVE = 512;

    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final long openFileLimit;
    private final int cap;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicReference<Instant> lastLog = new AtomicReference<>(Instant.EPOCH);

    ConnectionCap(long openFileLimit, Clock clock) {
        this.openFileLimit = openFileLimit;
        this.cap = (int) Math.max(0, Math.min(Integer.MAX_VALUE, openFileLimit - RESERVE));
        this.clock = clock;
    }

    /** The cap of this process's open-file limit; none where the JVM cannot tell the limit (not on Windows). */
    static ConnectionCap forThisProcess(Clock clock) {
        return new ConnectionCap(
                ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                        ? unix.getMaxFileDescriptorCount()
                        : Long.MAX_VALUE,
                clock);
    }

    int cap() {
        return cap;
    }

    long openFileLimit() {
        return openFileLimit;
    }

    int open() {
        return open.get();
    }

    // handlerAdded/handlerRemoved rather than channelActive/channelInactive: the handler joins each pipeline after
    // the channel became active, and handlerRemoved runs once per channel however it ends.
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > cap) {
            refused();
            ctx.channel().close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        open.decrementAndGet();
    }

    private void refused() {
        long refused = refusedSinceLog.incrementAndGet();
        Instant now = clock.instant();
        Instant last = lastLog.get();
        if (now.isAfter(last.plus(LOG_EVERY)) && lastLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            LOG.warn(
                    "refused {} MQTT connection(s): {} connections is all this process can hold (open-file limit {} "
                            + "less {} for the emulator; ulimit -n). Raise the limit, or spread the devices over "
                            + "several emulators.",
                    refused,
                    cap,
                    openFileLimit,
                    RESERVE);
        }
    }
}
