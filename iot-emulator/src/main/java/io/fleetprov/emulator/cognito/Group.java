package io.fleetprov.emulator.cognito;

import java.time.Instant;

/** A user-pool group; {@code precedence} is nullable, as in Cognito. */
public record Group(
        String groupName,
        String userPoolId,
        String description,
        Integer precedence,
        Instant creationDate,
        Instant lastModifiedDate) {}
