package io.fleetprov.emulator.registry;

import java.time.Instant;

/** An IoT policy as GetPolicy shows it: its default version's document and id. */
public record Policy(
        String policyName,
        String policyArn,
        String policyDocument,
        String versionId,
        Instant creationDate,
        Instant lastModifiedDate) {}
