package io.moquette.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.moquette.BrokerInternals;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.metrics.BytesMetricsCollector;
import io.moquette.broker.metrics.BytesMetricsHandler;
import io.moquette.broker.metrics.MQTTMessageLogger;
import io.moquette.broker.metrics.MessageMetricsCollector;
import io.moquette.broker.metrics.MessageMetricsHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Moquette 0.17 puts byte and message counters and a per-message logger into every connection's pipeline, with no
 * configuration to leave them out; the adapter takes them out by name and type. If a Moquette renames, reorders or
 * replaces them, the first test fails, naming what the pipeline holds now.
 */
class PipelineTrimTest {

    private final Server server = new Server();
    private final int port = TestBrokers.freePort();
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        }
        server.stopServer();
    }

    @Test
    void aLiveConnectionsPipelineHasNoMetricsOrMessageLoggerAndStillWorks() throws Exception {
        server.startServer(new MemoryConfig(TestBrokers.plainTcp(port)));
        BrokerInternals internals = BrokerInternals.attach(server);
        BlockingQueue<Map<String, Class<?>>> pipelines = new LinkedBlockingQueue<>();
        internals.customizePipelines(pipeline -> {
            Map<String, Class<?>> handlers = new LinkedHashMap<>();
            pipeline.forEach(
                    entry -> handlers.put(entry.getKey(), entry.getValue().getClass()));
            pipelines.add(handlers);
        });

        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "device-1", new MemoryPersistence());
        clients.add(client);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        client.connect(options);
        client.subscribe("devices/echo", 1, (topic, message) -> received.add(new String(message.getPayload())));
        client.publish("devices/echo", "hello".getBytes(StandardCharsets.UTF_8), 1, false);

        assertThat(received.poll(10, TimeUnit.SECONDS))
                .as("a QoS 1 round trip through the trimmed pipeline")
                .isEqualTo("hello");
        Map<String, Class<?>> handlers = pipelines.poll(10, TimeUnit.SECONDS);
        assertThat(handlers)
                .as("Moquette 0.17's pipeline after the adapter's trim; if Moquette changed these names or types,"
                        + " update PipelineTrim (moquette-adapter README, limitation #9)")
                .isNotNull()
                .containsKeys("decoder", BrokerInternals.MOQUETTE_ENCODER, "handler")
                .containsEntry(PipelineTrim.CLOSE_ON_WRITE_FAILURE, PipelineTrim.CloseOnWriteFailure.class)
                .doesNotContainKeys(
                        PipelineTrim.BYTE_METRICS, PipelineTrim.MESSAGE_METRICS, PipelineTrim.MESSAGE_LOGGER);
        assertThat(handlers.values())
                .doesNotContain(BytesMetricsHandler.class, MessageMetricsHandler.class, MQTTMessageLogger.class);
    }

    @Test
    void theMessageLoggerStaysWhenItsLoggerPrints() {
        EmbeddedChannel channel = moquetteLikePipeline();

        PipelineTrim.trim(channel.pipeline(), true);

        assertThat(channel.pipeline().get(PipelineTrim.MESSAGE_LOGGER)).isInstanceOf(MQTTMessageLogger.class);
        assertThat(channel.pipeline().get(PipelineTrim.BYTE_METRICS)).isNull();
        assertThat(channel.pipeline().get(PipelineTrim.MESSAGE_METRICS)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFailedWriteStillClosesTheConnectionAsMoquettesLoggerDid() {
        EmbeddedChannel channel = moquetteLikePipeline();
        channel.pipeline().addFirst("failing", new FailingWrites());
        PipelineTrim.trim(channel.pipeline(), false);
        assertThat(channel.pipeline().get(PipelineTrim.CLOSE_ON_WRITE_FAILURE))
                .isSameAs(PipelineTrim.CloseOnWriteFailure.INSTANCE);

        channel.writeOneOutbound("fine");
        assertThat(channel.isOpen()).isTrue();

        channel.writeOneOutbound("fail");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    /** The handlers under the names Moquette 0.17's acceptor gives them, around a stand-in for its own handler. */
    private static EmbeddedChannel moquetteLikePipeline() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(PipelineTrim.BYTE_METRICS, new BytesMetricsHandler(new BytesMetricsCollector()))
                .addLast(PipelineTrim.MESSAGE_METRICS, new MessageMetricsHandler(new MessageMetricsCollector()))
                .addLast(PipelineTrim.MESSAGE_LOGGER, new MQTTMessageLogger())
                .addLast("handler", new ChannelInboundHandlerAdapter());
        return channel;
    }

    /** Fails every write of the string "fail", as a broken socket would. */
    @ChannelHandler.Sharable
    private static final class FailingWrites extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if ("fail".equals(msg)) {
                promise.setFailure(new java.io.IOException("broken pipe"));
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
