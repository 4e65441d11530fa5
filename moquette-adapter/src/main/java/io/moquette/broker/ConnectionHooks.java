package io.moquette.broker;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Sits in every connection's pipeline just before Moquette's own handler and sees each decoded MQTT message first:
 * <ul>
 *   <li>after a CONNECT that keeps its session, it queues a command on the session's loop, behind Moquette's own,
 *       that puts the session's unacknowledged messages back in its queue ({@link
 *       Moquette017Internals#requeueUnacknowledged}). Moquette writes the CONNACK from the session loop and
 *       completes it on this connection's event loop, which is busy here until the command is queued, so nothing is
 *       sent on the new connection before the command runs.</li>
 * </ul>
 * It also runs the pipeline customizers when a connection becomes active.
 */
@ChannelHandler.Sharable
final class ConnectionHooks extends ChannelInboundHandlerAdapter {

    private final Moquette017Internals internals;
    private final List<Consumer<ChannelPipeline>> customizers = new CopyOnWriteArrayList<>();

    ConnectionHooks(Moquette017Internals internals) {
        this.internals = internals;
    }

    void add(Consumer<ChannelPipeline> customizer) {
        customizers.add(customizer);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        customizers.forEach(customizer -> customizer.accept(ctx.pipeline()));
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof MqttConnectMessage connect) {
            String clientId = connect.payload().clientIdentifier();
            boolean keepsSession = !connect.variableHeader().isCleanSession();
            ctx.fireChannelRead(msg);
            if (keepsSession && clientId != null && !clientId.isEmpty()) {
                internals.postOffice().routeCommand(clientId, "requeue unacknowledged", () -> {
                    internals
                            .sessionBoundTo(clientId, ctx.channel())
                            .filter(session -> !session.isClean())
                            .ifPresent(internals::requeueUnacknowledged);
                    return clientId;
                });
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
