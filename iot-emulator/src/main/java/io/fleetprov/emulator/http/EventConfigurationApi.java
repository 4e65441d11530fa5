package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.Json.epochSeconds;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fleetprov.emulator.registry.EventConfigurationStore;
import io.fleetprov.emulator.registry.EventConfigurations;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which registry events are published (AWS IoT API, {@code /event-configurations}). */
final class EventConfigurationApi {

    private final EventConfigurationStore eventConfigurations;

    EventConfigurationApi(EventConfigurationStore eventConfigurations) {
        this.eventConfigurations = eventConfigurations;
    }

    List<Route> routes() {
        return List.of(
                Route.of("PATCH", "/event-configurations", "UpdateEventConfigurations", this::update),
                Route.of("GET", "/event-configurations", "DescribeEventConfigurations", this::describe));
    }

    /** AWS spells this member with a capital E, unlike the rest of the API. */
    record Configuration(@JsonProperty("Enabled") Boolean enabled) {}

    record UpdateRequest(Map<String, Configuration> eventConfigurations) {}

    record DescribeResponse(
            Map<String, Configuration> eventConfigurations, BigDecimal creationDate, BigDecimal lastModifiedDate) {}

    private Object update(ApiRequest request) {
        UpdateRequest body = request.body(UpdateRequest.class);
        Map<String, Boolean> changes = new LinkedHashMap<>();
        if (body.eventConfigurations() != null) {
            body.eventConfigurations()
                    .forEach((type, config) ->
                            changes.put(type, config != null && Boolean.TRUE.equals(config.enabled())));
        }
        eventConfigurations.update(changes);
        return null;
    }

    private Object describe(ApiRequest request) {
        EventConfigurations current = eventConfigurations.current();
        Map<String, Configuration> configurations = new TreeMap<>();
        current.enabled().forEach((type, on) -> configurations.put(type, new Configuration(on)));
        return new DescribeResponse(
                configurations, epochSeconds(current.creationDate()), epochSeconds(current.lastModifiedDate()));
    }
}
