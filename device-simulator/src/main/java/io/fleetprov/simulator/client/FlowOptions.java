package io.fleetprov.simulator.client;

import io.fleetprov.protocol.FleetTopics;
import io.fleetprov.protocol.PayloadFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a device provisions itself.
 *
 * @param parameters    RegisterThing parameters; {@code {serial}} in a value becomes the device's serial number
 * @param publishTopic  the first publish after reconnecting; {@code {thingName}} and {@code {serial}} are
 *                      replaced, so the topic can match a {@code ${iot:Connection.Thing.ThingName}} policy
 * @param timeout       for each MQTT step (connect, subscribe, answer, PUBACK)
 * @param mqttVersion   the protocol of both connections (claim and own certificate)
 */
public record FlowOptions(
        String templateName,
        ProvisioningMode mode,
        PayloadFormat format,
        DeviceKeyType keyType,
        Map<String, String> parameters,
        String publishTopic,
        Duration timeout,
        Backoff backoff,
        MqttVersion mqttVersion) {

    public FlowOptions {
        if (!FleetTopics.isValidTemplateName(templateName)) {
            throw new IllegalArgumentException("invalid template name: " + templateName);
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(keyType, "keyType");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(publishTopic, "publishTopic");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(mqttVersion, "mqttVersion");
    }

    /** Over MQTT 3.1.1. */
    public FlowOptions(
            String templateName,
            ProvisioningMode mode,
            PayloadFormat format,
            DeviceKeyType keyType,
            Map<String, String> parameters,
            String publishTopic,
            Duration timeout,
            Backoff backoff) {
        this(templateName, mode, format, keyType, parameters, publishTopic, timeout, backoff, MqttVersion.MQTT_3_1_1);
    }

    /** MQTT 3.1.1, CSR mode, EC P-256, JSON, {@code SerialNumber={serial}}, publish on {@code devices/{thingName}/telemetry}. */
    public static FlowOptions defaults(String templateName) {
        return new FlowOptions(
                templateName,
                ProvisioningMode.CSR,
                PayloadFormat.JSON,
                DeviceKeyType.EC_P256,
                Map.of("SerialNumber", "{serial}"),
                "devices/{thingName}/telemetry",
                Duration.ofSeconds(30),
                Backoff.DEFAULT);
    }

    public FlowOptions withMode(ProvisioningMode newMode) {
        return new FlowOptions(
                templateName, newMode, format, keyType, parameters, publishTopic, timeout, backoff, mqttVersion);
    }

    public FlowOptions withFormat(PayloadFormat newFormat) {
        return new FlowOptions(
                templateName, mode, newFormat, keyType, parameters, publishTopic, timeout, backoff, mqttVersion);
    }

    public FlowOptions withTimeout(Duration newTimeout) {
        return new FlowOptions(
                templateName, mode, format, keyType, parameters, publishTopic, newTimeout, backoff, mqttVersion);
    }

    public FlowOptions withMqttVersion(MqttVersion newVersion) {
        return new FlowOptions(
                templateName, mode, format, keyType, parameters, publishTopic, timeout, backoff, newVersion);
    }

    public Map<String, String> parametersFor(String serial) {
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.forEach((k, v) -> resolved.put(k, v.replace("{serial}", serial)));
        return resolved;
    }

    public String publishTopicFor(String thingName, String serial) {
        return publishTopic.replace("{thingName}", thingName).replace("{serial}", serial);
    }
}
