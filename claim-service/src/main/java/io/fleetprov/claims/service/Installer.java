package io.fleetprov.claims.service;

import java.util.Set;

/** Who is asking: the token's subject and its Cognito groups. */
public record Installer(String subject, Set<String> groups) {

    public static final String INSTALLER = "installer";
    public static final String ADMIN = "admin";

    public boolean isAdmin() {
        return groups.contains(ADMIN);
    }
}
