package io.fleetprov.emulator.template;

/** The properties of an existing thing that a template's OverrideSettings can govern. */
public enum ThingProperty {
    ATTRIBUTE_PAYLOAD,
    THING_TYPE_NAME,
    THING_GROUPS,
    BILLING_GROUP
}
