package io.fleetprov.emulator.registry;

import java.time.Instant;

/** One version of an IoT policy; version ids are decimal strings that are never reused within a policy. */
public record PolicyVersion(String versionId, String policyDocument, boolean isDefaultVersion, Instant createDate) {}
