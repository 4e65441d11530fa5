package io.moquette.broker;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.reflect.Field;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts a stage of the emulator's into every connection's pipeline, right after Moquette's MQTT "encoder" (so
 * that it sees what Moquette reads after decoding and what it writes before encoding). Moquette 0.17 builds its
 * pipelines privately in {@code NewNettyAcceptor}; the one handler of someone else's it adds to each of them is
 * an optional metrics handler read from a private field at every new connection. That field is set to a
 * shareable handler which, once added, puts the stage in its place and removes itself. Keep it in step when
 * upgrading Moquette.
 */
public final class MoquettePipeline {

    private static final String ENCODER = "encoder";

    private MoquettePipeline() {}

    /** From now on, every new connection of the started {@code server} gets {@code stage.get()} as {@code name}. */
    public static void addAfterEncoder(Server server, String name, Supplier<ChannelHandler> stage) {
        try {
            Object acceptor = read(Server.class, "acceptor", server);
            Field metrics = NewNettyAcceptor.class.getDeclaredField("metrics");
            metrics.setAccessible(true);
            metrics.set(acceptor, Optional.<ChannelInboundHandler>of(new Installer(name, stage)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Moquette version", e);
        }
    }

    @ChannelHandler.Sharable
    private static final class Installer extends ChannelInboundHandlerAdapter {

        private final String name;
        private final Supplier<ChannelHandler> stage;

        Installer(String name, Supplier<ChannelHandler> stage) {
            this.name = name;
            this.stage = stage;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ENCODER, name, stage.get());
            ctx.pipeline().remove(this);
        }
    }

    private static Object read(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
