package io.moquette.broker;

import io.fleetprov.moquette.BrokerInternals;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Sits in every connection's pipeline just before Moquette's own handler and sees each decoded MQTT message first:
 * <ul>
 *   <li>after a CONNECT, it queues a command on the session's loop, behind Moquette's own, that sizes the session's
 *       send window ({@link Moquette017Internals#grantSendWindow}) and, for a session kept from an earlier
 *       connection, first puts its unacknowledged messages back in its queue ({@link
 *       Moquette017Internals#requeueUnacknowledged}). Moquette writes the CONNACK from the session loop and
 *       completes it on this connection's event loop, which is busy here until the command is queued, so nothing is
 *       sent on the new connection before the command runs.</li>
 *   <li>it handles PUBACK itself: Moquette 0.17 hands a PUBACK to the session its connection was once bound to,
 *       even after a newer connection of the same client id took that session over or it was destroyed. A
 *       destroyed session's clean-up released its in-flight messages without forgetting them, so the late PUBACK
 *       released the acknowledged message a second time ({@code IllegalReferenceCountException: refCnt: 0,
 *       decrement: 1}, which ended the session loop); a taken-over persistent session would apply it to whatever
 *       the new connection sent under the same packet id. Here a PUBACK counts only while its connection still
 *       holds the session; a dropped one is delivered again, as QoS 1 allows.</li>
 *   <li>what a connection sends after its CONNECT reaches Moquette only once Moquette has finished the CONNACK
 *       ({@link ReadsBeforeConnAck}).</li>
 * </ul>
 * It also takes Moquette's unused metrics and message-log handlers out of the pipeline it was added to ({@link
 * PipelineTrim}), raises the connection's write-buffer marks ({@link #WRITE_BUFFER}), and runs the pipeline
 * customizers when a connection becomes active.
 */
@ChannelHandler.Sharable
final class ConnectionHooks extends ChannelInboundHandlerAdapter {

    /**
     * Moquette 0.17 drops a PUBLISH it is about to write when the channel is not writable at that instant
     * ({@code MQTTConnection.sendIfWritableElseDrop}), after it checked writability on its session loop and put the
     * message in flight: the check and the write are on the session loop while the event loop moves earlier writes
     * into the outbound buffer, so the channel can cross netty's default high mark (64 KiB, less than one signed
     * batch of events) between the two. The dropped message is sent again only by the in-flight resend, 5 to 10 s
     * later: audit ingest of 20,000 events took 10 s instead of 1.5, idle, waiting for two or three of them. AWS does
     * not drop a QoS 1 message for a connected subscriber. The send window (100 QoS 1 messages of at most AWS's 128
     * KB) bounds what is queued for a subscriber far below this high mark, so Moquette's writability checks no longer
     * fire for QoS 1; the mark still bounds what a subscriber that stops reading can hold in QoS 0.
     */
    static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(8 << 20, 16 << 20);

    private final Moquette017Internals internals;
    private final List<Consumer<ChannelPipeline>> customizers = new CopyOnWriteArrayList<>();
    private final ReadsBeforeConnAck untilConnAck;

    ConnectionHooks(Moquette017Internals internals) {
        this.internals = internals;
        this.untilConnAck = new ReadsBeforeConnAck(internals::connAckDone, this::handOn);
    }

    void add(Consumer<ChannelPipeline> customizer) {
        customizers.add(customizer);
    }

    /**
     * Moquette adds this handler while it builds a connection's pipeline, after the handlers {@link PipelineTrim}
     * takes out, so they are gone before the connection's first event.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        PipelineTrim.trim(ctx.pipeline());
        ctx.channel().config().setWriteBufferWaterMark(WRITE_BUFFER);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        customizers.forEach(customizer -> customizer.accept(ctx.pipeline()));
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!untilConnAck.hold(ctx, msg)) {
            handOn(ctx, msg);
        }
    }

    private void handOn(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttConnectMessage connect) {
            String clientId = connect.payload().clientIdentifier();
            ctx.fireChannelRead(msg);
            untilConnAck.connectHandedOn(ctx);
            if (clientId != null && !clientId.isEmpty()) {
                int sendWindow = sendWindow(ctx);
                internals.postOffice().routeCommand(clientId, "take over session", () -> {
                    internals.sessionBoundTo(clientId, ctx.channel()).ifPresent(session -> {
                        if (!session.isClean()) {
                            internals.requeueUnacknowledged(session);
                        }
                        internals.grantSendWindow(session, sendWindow);
                    });
                    return clientId;
                });
            }
        } else if (msg instanceof MqttMessage mqtt
                && mqtt.fixedHeader().messageType() == MqttMessageType.PUBACK
                && mqtt.variableHeader() instanceof MqttMessageIdVariableHeader id) {
            pubAck(ctx, id.messageId());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static int sendWindow(ChannelHandlerContext ctx) {
        Integer window = ctx.channel().attr(BrokerInternals.SEND_WINDOW).get();
        return window == null
                ? BrokerInternals.DEFAULT_SEND_WINDOW
                : Math.min(window, BrokerInternals.DEFAULT_SEND_WINDOW);
    }

    private void pubAck(ChannelHandlerContext ctx, int packetId) {
        String clientId = NettyUtils.clientID(ctx.channel());
        if (clientId == null) {
            return; // a PUBACK before CONNECT acknowledges nothing
        }
        internals.postOffice().routeCommand(clientId, "PUB ACK", () -> {
            internals.sessionBoundTo(clientId, ctx.channel()).ifPresent(session -> session.pubAckReceived(packetId));
            return clientId;
        });
    }
}
