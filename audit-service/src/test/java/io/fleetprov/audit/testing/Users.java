package io.fleetprov.audit.testing;

/** The users seeded into the emulator's user pool ({@code emulator-seed.json}). */
public final class Users {

    public static final String POOL_ID = "us-east-1_AuditTest1";
    public static final String CLIENT_ID = "audittestsclient000000000";
    public static final String PASSWORD = "Passw0rd!audit";
    public static final String AUDITOR = "alice-auditor";
    public static final String INSTALLER = "ivan-installer";
    public static final String NO_GROUP = "nora-nogroup";

    private Users() {}
}
