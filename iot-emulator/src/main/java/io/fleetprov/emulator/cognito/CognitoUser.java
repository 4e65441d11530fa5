package io.fleetprov.emulator.cognito;

import java.time.Instant;
import java.util.Map;

/** A read-only view of a user; never carries the password or its hash. */
public record CognitoUser(
        String username,
        String sub,
        Map<String, String> attributes,
        UserStatus status,
        boolean enabled,
        Instant createDate,
        Instant lastModifiedDate) {

    public CognitoUser {
        attributes = Map.copyOf(attributes);
    }
}
