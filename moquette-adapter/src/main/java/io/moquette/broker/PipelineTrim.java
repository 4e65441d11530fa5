package io.moquette.broker;

import io.moquette.broker.metrics.BytesMetricsHandler;
import io.moquette.broker.metrics.MQTTMessageLogger;
import io.moquette.broker.metrics.MessageMetricsHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes out of each connection's pipeline the handlers Moquette 0.17 adds to every connection unconditionally (no
 * configuration leaves them out) and whose output nothing here reads: byte and message counters (read only by
 * Moquette's optional metrics, which the emulator does not run) and the per-message logger, which sets MDC entries
 * and builds its log arguments for every packet in both directions even when its logger prints nothing. They cost
 * about 2 % of the emulator's CPU under provisioning load, for nothing.
 *
 * <p>The logger stays whenever its logger would print (Moquette at INFO or finer), so turning Moquette's logging up
 * still shows every packet. When it goes, the one thing it did besides logging stays: it closed the connection on a
 * failed write ({@link CloseOnWriteFailure}, in its place).
 */
final class PipelineTrim {

    /** The names {@code NewNettyAcceptor.configureMQTTPipeline} gives the handlers taken out. */
    static final String BYTE_METRICS = "bytemetrics";

    static final String MESSAGE_METRICS = "metrics";
    static final String MESSAGE_LOGGER = "messageLogger";
    static final String CLOSE_ON_WRITE_FAILURE = "closeOnWriteFailure";

    private static final Logger MESSAGE_LOG = LoggerFactory.getLogger(MQTTMessageLogger.class);

    private PipelineTrim() {}

    /** Trims a pipeline Moquette has just built; the message logger goes only while its logger prints nothing. */
    static void trim(ChannelPipeline pipeline) {
        trim(pipeline, MESSAGE_LOG.isInfoEnabled());
    }

    static void trim(ChannelPipeline pipeline, boolean keepMessageLogger) {
        if (pipeline.get(BYTE_METRICS) instanceof BytesMetricsHandler) {
            pipeline.remove(BYTE_METRICS);
        }
        if (pipeline.get(MESSAGE_METRICS) instanceof MessageMetricsHandler) {
            pipeline.remove(MESSAGE_METRICS);
        }
        if (!keepMessageLogger && pipeline.get(MESSAGE_LOGGER) instanceof MQTTMessageLogger) {
            pipeline.replace(MESSAGE_LOGGER, CLOSE_ON_WRITE_FAILURE, CloseOnWriteFailure.INSTANCE);
        }
    }

    /** What {@link MQTTMessageLogger#write} does besides logging: a write that fails closes the connection. */
    @ChannelHandler.Sharable
    static final class CloseOnWriteFailure extends ChannelOutboundHandlerAdapter {
        static final CloseOnWriteFailure INSTANCE = new CloseOnWriteFailure();

        private CloseOnWriteFailure() {}

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (promise.isVoid()) {
                ctx.write(msg, promise); // a void promise takes no listener; its failure is fired down the pipeline
            } else {
                ctx.write(msg, promise).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }
}
