package io.fleetprov.emulator.http;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The AWS IoT control plane in rest-json: finds the operation for a request and runs it. */
public final class ControlPlane {

    private final List<Route> routes;

    ControlPlane(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Every operation the emulator serves, on the emulator's registry and provisioning service. */
    public static ControlPlane of(IotEmulator emulator) {
        var registry = emulator.registry();
        List<Route> routes = new ArrayList<>();
        Stream.of(
                        new ProvisioningClaimApi(emulator.provisioning(), emulator.throttle(), emulator.faults()::delay)
                                .routes(),
                        new ProvisioningTemplateApi(registry.templates()).routes(),
                        new ThingApi(registry).routes(),
                        new CertificateApi(
                                        registry,
                                        emulator.provisioning(),
                                        emulator.ca(),
                                        emulator.config().clock())
                                .routes(),
                        new ThingTypeApi(registry).routes(),
                        new PolicyApi(registry).routes(),
                        new EndpointApi(emulator::mqttEndpoint).routes(),
                        new EventConfigurationApi(registry.eventConfigurations()).routes(),
                        new EmulatorAdminApi(emulator).routes())
                .forEach(routes::addAll);
        return new ControlPlane(routes);
    }

    /** @return the JSON response body of a successful call; errors are thrown as {@link AwsException} */
    byte[] handle(RawRequest request) throws java.io.IOException {
        List<String> segments = Route.segments(request.rawPath());
        boolean pathKnown = false;
        for (Route route : routes) {
            Optional<Map<String, String>> labels = route.match(segments);
            if (labels.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(request.method())) {
                continue;
            }
            Object response;
            try {
                response = route.handler().invoke(new ApiRequest(request, labels.get()));
            } catch (RegistryException e) {
                throw AwsException.of(e);
            }
            return Json.MAPPER.writeValueAsBytes(response == null ? Map.of() : response);
        }
        throw pathKnown
                ? new AwsException(
                        "MethodNotAllowedException",
                        405,
                        "Method " + request.method() + " is not allowed on " + request.rawPath())
                : new AwsException(
                        "UnknownOperationException",
                        404,
                        "No operation matches " + request.method() + " " + request.rawPath());
    }
}
