package io.fleetprov.emulator.cognito;

import java.time.Instant;
import java.util.Set;

/**
 * An app client of a user pool; {@code explicitAuthFlows} uses Cognito's {@code ALLOW_*} names. {@code clientSecret}
 * is null for public clients; a confidential client's requests must carry a {@link SecretHash}.
 */
public record AppClient(
        String clientId,
        String clientName,
        String userPoolId,
        Set<String> explicitAuthFlows,
        Instant creationDate,
        String clientSecret) {

    public static final String ALLOW_USER_PASSWORD_AUTH = "ALLOW_USER_PASSWORD_AUTH";
    public static final String ALLOW_REFRESH_TOKEN_AUTH = "ALLOW_REFRESH_TOKEN_AUTH";
    public static final String ALLOW_USER_SRP_AUTH = "ALLOW_USER_SRP_AUTH";
    public static final String ALLOW_ADMIN_USER_PASSWORD_AUTH = "ALLOW_ADMIN_USER_PASSWORD_AUTH";

    /** What {@link UserPools#createAppClient(String, String)} grants: the flows the emulator implements. */
    public static final Set<String> DEFAULT_AUTH_FLOWS = Set.of(
            ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH);

    public AppClient {
        explicitAuthFlows = Set.copyOf(explicitAuthFlows);
    }

    public boolean allows(String flow) {
        return explicitAuthFlows.contains(flow);
    }

    public boolean hasSecret() {
        return clientSecret != null;
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "AppClient[clientId=" + clientId + ", clientName=" + clientName + ", userPoolId=" + userPoolId
                + ", explicitAuthFlows=" + explicitAuthFlows + ", hasSecret=" + hasSecret() + "]";
    }
}
