package io.fleetprov.emulator.template;

/** What RegisterThing does with a property of a resource that already exists. */
public enum OverrideAction {
    /** Keep the existing value. */
    DO_NOTHING,
    /** Overwrite the existing value with the template's. */
    REPLACE,
    /** Refuse the request with ResourceConflictsException. */
    FAIL,
    /** Union of existing and new values; only for AttributePayload and ThingGroups. */
    MERGE
}
