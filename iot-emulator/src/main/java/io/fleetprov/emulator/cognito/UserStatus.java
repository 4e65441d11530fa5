package io.fleetprov.emulator.cognito;

/** The subset of Cognito's {@code UserStatusType} the emulator's users can be in. */
public enum UserStatus {
    /** Signed up, not yet confirmed with the code. */
    UNCONFIRMED,
    /** Created by an administrator; must choose a password at first sign-in. */
    FORCE_CHANGE_PASSWORD,
    CONFIRMED
}
