package io.fleetprov.emulator.http;

import java.util.List;
import java.util.function.Supplier;

/**
 * DescribeEndpoint. AWS answers a bare host name (devices use port 8883 or 443); the emulator's broker listens on
 * a port of its own, so it answers {@code host:port} — clients that split on the colon get both.
 */
final class EndpointApi {

    private final Supplier<String> mqttEndpoint;

    EndpointApi(Supplier<String> mqttEndpoint) {
        this.mqttEndpoint = mqttEndpoint;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/endpoint", "DescribeEndpoint", this::describe));
    }

    record EndpointResponse(String endpointAddress) {}

    private Object describe(ApiRequest request) {
        String type = request.query("endpointType");
        if (type == null || type.equals("iot:Data") || type.equals("iot:Data-ATS")) {
            return new EndpointResponse(mqttEndpoint.get());
        }
        if (type.equals("iot:CredentialProvider") || type.equals("iot:Jobs")) {
            throw AwsException.invalidRequest("The emulator serves no " + type + " endpoint");
        }
        throw AwsException.invalidRequest("Invalid endpointType: " + type);
    }
}
