package io.moquette.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/** Configuration of an in-process Moquette for the adapter's tests: plain TCP on localhost, nothing persisted. */
final class TestBrokers {

    private TestBrokers() {}

    static Properties plainTcp(int port) {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("allow_anonymous", "true");
        return p;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops each client that is not null (the broker may have dropped it already), then stops the server. */
    static void stop(Server server, Stream<MqttAsyncClient> clients) throws MqttException {
        for (MqttAsyncClient client : clients.filter(Objects::nonNull).toList()) {
            try {
                client.disconnectForcibly(100, 100);
            } catch (MqttException ignored) {
                // already gone
            }
            client.close(true);
        }
        server.stopServer();
    }
}
