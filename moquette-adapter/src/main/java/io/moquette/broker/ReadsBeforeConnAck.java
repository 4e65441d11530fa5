package io.moquette.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Holds what a connection sends after its CONNECT until Moquette has finished the CONNACK, then hands it on in
 * order. MQTT 3.1.1 lets a client send packets right behind its CONNECT, and a client that waits for the CONNACK can
 * still be read before Moquette 0.17 counts it connected: Moquette sets its {@code connected} flag only in the
 * CONNACK write's listener, which it adds from the session loop after the write, so the listener may run on the event
 * loop a turn after the client's next packet was read. A SUBSCRIBE read in between made Moquette drop the connection
 * ({@code SUBSCRIBE received on already closed connection}), which the AWS IoT Device SDK reports as a cancelled
 * request.
 * <p>
 * While it holds anything, the connection's reads stop (auto-read off) and it looks again after a millisecond, then
 * after twice as long each time up to 64 ms: Moquette offers nothing to wait on, the wait is normally one event-loop
 * turn, and while the session loops are backed up (a CONNACK seconds late) a thousand held connections still cost
 * little. If the connection closes first, what it holds is released. All on the connection's event loop.
 */
final class ReadsBeforeConnAck {

    private static final AttributeKey<Deque<Object>> HELD = AttributeKey.valueOf("fleetprov.readsBeforeConnAck");
    private static final long FIRST_RECHECK_MILLISECONDS = 1;
    private static final long LONGEST_RECHECK_MILLISECONDS = 64;

    private final Predicate<Channel> connAckDone;
    private final BiConsumer<ChannelHandlerContext, Object> handOn;

    /**
     * {@code connAckDone} says whether Moquette counts the channel's connection as connected; {@code handOn} passes a
     * message on as if it had just been read.
     */
    ReadsBeforeConnAck(Predicate<Channel> connAckDone, BiConsumer<ChannelHandlerContext, Object> handOn) {
        this.connAckDone = connAckDone;
        this.handOn = handOn;
    }

    /** From now until its CONNACK is done, the connection's messages go through {@link #hold}. */
    void connectHandedOn(ChannelHandlerContext ctx) {
        ctx.channel().attr(HELD).setIfAbsent(new ArrayDeque<>());
    }

    /** Whether {@code msg} was held back; if not, the caller hands it on now. */
    boolean hold(ChannelHandlerContext ctx, Object msg) {
        Deque<Object> held = ctx.channel().attr(HELD).get();
        if (held == null) {
            return false;
        }
        if (held.isEmpty()) {
            if (connAckDone.test(ctx.channel())) {
                ctx.channel().attr(HELD).set(null);
                return false;
            }
            ctx.channel().config().setAutoRead(false);
            recheckLater(ctx, FIRST_RECHECK_MILLISECONDS);
        }
        held.add(msg);
        return true;
    }

    private void recheckLater(ChannelHandlerContext ctx, long delayMilliseconds) {
        ctx.executor().schedule(() -> recheck(ctx, delayMilliseconds), delayMilliseconds, TimeUnit.MILLISECONDS);
    }

    private void recheck(ChannelHandlerContext ctx, long lastDelayMilliseconds) {
        Channel channel = ctx.channel();
        if (channel.isActive() && !connAckDone.test(channel)) {
            recheckLater(ctx, Math.min(2 * lastDelayMilliseconds, LONGEST_RECHECK_MILLISECONDS));
            return;
        }
        Deque<Object> held = channel.attr(HELD).getAndSet(null);
        if (!channel.isActive()) {
            held.forEach(ReferenceCountUtil::release);
            return;
        }
        held.forEach(msg -> handOn.accept(ctx, msg));
        ctx.fireChannelReadComplete();
        channel.config().setAutoRead(true);
    }
}
