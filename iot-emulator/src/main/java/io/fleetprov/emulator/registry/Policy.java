package io.fleetprov.emulator.registry;

import java.time.Instant;

/** An IoT policy; the emulator keeps one version per policy. */
public record Policy(
        String policyName, String policyArn, String policyDocument, String versionId, Instant creationDate) {}
