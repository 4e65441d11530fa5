package io.fleetprov.simulator.client;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Vert.x context per event loop, shared by the connections on that loop, which are spread over the loops
 * round-robin. A context of its own per connection (what {@code getOrCreateContext()} makes off a Vert.x thread) cost
 * about 330 bytes of heap each in a soak's heap histogram, the context and two task queues with their locks, for
 * nothing here: an event-loop context runs each task on its loop's one thread in the order given, whoever shares it,
 * and connections keep no context-local data.
 */
public final class EventLoopContexts {

    private final VertxInternal vertx;
    private final Map<EventLoop, Context> byLoop = new ConcurrentHashMap<>();

    public EventLoopContexts(Vertx vertx) {
        this.vertx = (VertxInternal) vertx;
    }

    /** The context of the next event loop in Vert.x's round-robin order. */
    public Context next() {
        EventLoop loop = vertx.getEventLoopGroup().next();
        return byLoop.computeIfAbsent(
                loop, l -> vertx.createEventLoopContext(l, null, EventLoopContexts.class.getClassLoader()));
    }
}
