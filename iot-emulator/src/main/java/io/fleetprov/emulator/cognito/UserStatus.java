package io.fleetprov.emulator.cognito;

/** The subset of Cognito's {@code UserStatusType} that admin-created users can be in. */
public enum UserStatus {
    FORCE_CHANGE_PASSWORD,
    CONFIRMED
}
