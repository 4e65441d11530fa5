package io.fleetprov.simulator.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The part of a device connection that depends on the MQTT client library, so that {@link DeviceClient} (request
 * routing, timeouts, error classification) is written once for MQTT 3.1.1 and MQTT 5. An implementation runs
 * every {@link Events} callback and completes every future it returns on the connection's Vert.x context, which is
 * what lets {@link DeviceClient} keep its state without locks.
 */
interface MqttTransport {

    /** CONNECT; completes on a successful CONNACK. */
    CompletableFuture<Void> connect();

    /** SUBSCRIBE at QoS 1; completes with the SUBACK's return or reason codes, one per filter. */
    CompletableFuture<List<Integer>> subscribe(List<String> topicFilters);

    /** PUBLISH at QoS 1; completes on a PUBACK that did not refuse it. */
    CompletableFuture<Void> publish(String topic, byte[] payload);

    /** DISCONNECT; {@link Events#closed()} follows once the socket is gone. */
    void disconnect();

    boolean isConnected();

    /** What the connection tells its {@link DeviceClient}. */
    interface Events {
        void message(String topic, byte[] payload);

        /** Why the connection will close or has failed, kept to explain a later loss. */
        void error(Throwable cause);

        /** The connection is gone, whoever closed it. May be called more than once. */
        void closed();

        /** The failure for requests the lost connection leaves unanswered. */
        DeviceException connectionLost();
    }
}
