package io.fleetprov.emulator.policy;

/** The MQTT data-plane actions the broker authorizes; the names are the ones written in policy documents. */
public enum IotAction {
    CONNECT("iot:Connect"),
    PUBLISH("iot:Publish"),
    SUBSCRIBE("iot:Subscribe"),
    RECEIVE("iot:Receive");

    private final String actionName;

    IotAction(String actionName) {
        this.actionName = actionName;
    }

    public String actionName() {
        return actionName;
    }

    /** The resource type segment of the ARN this action is checked against. */
    String resourceType() {
        return switch (this) {
            case CONNECT -> "client";
            case PUBLISH, RECEIVE -> "topic";
            case SUBSCRIBE -> "topicfilter";
        };
    }
}
