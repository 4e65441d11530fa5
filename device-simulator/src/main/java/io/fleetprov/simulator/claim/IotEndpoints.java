package io.fleetprov.simulator.claim;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.iot.IotAsyncClient;

/** The MQTT endpoint devices connect to, from DescribeEndpoint (iot:Data-ATS: the Amazon-root-CA endpoint). */
public final class IotEndpoints {

    private IotEndpoints() {}

    /** {@code host} on AWS, {@code host:port} on the emulator; see {@link io.fleetprov.simulator.client.MqttTarget#fromEndpoint}. */
    public static CompletableFuture<String> dataAts(IotAsyncClient iot) {
        return iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")).handle((response, error) -> {
            if (error != null) {
                throw AwsErrors.translate(error, "DescribeEndpoint");
            }
            return response.endpointAddress();
        });
    }
}
