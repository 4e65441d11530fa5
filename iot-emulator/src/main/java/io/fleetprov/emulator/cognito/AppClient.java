package io.fleetprov.emulator.cognito;

import java.time.Instant;
import java.util.Set;

/**
 * An app client of a user pool; {@code explicitAuthFlows} uses Cognito's {@code ALLOW_*} names, {@code oauth} holds
 * its hosted-UI settings (never null).
 */
public record AppClient(
        String clientId,
        String clientName,
        String userPoolId,
        Set<String> explicitAuthFlows,
        Instant creationDate,
        OAuthSettings oauth) {

    public static final String ALLOW_USER_PASSWORD_AUTH = "ALLOW_USER_PASSWORD_AUTH";
    public static final String ALLOW_REFRESH_TOKEN_AUTH = "ALLOW_REFRESH_TOKEN_AUTH";

    /** What {@link UserPools#createAppClient(String, String)} grants: the flows the emulator implements. */
    public static final Set<String> DEFAULT_AUTH_FLOWS = Set.of(ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH);

    public AppClient {
        explicitAuthFlows = Set.copyOf(explicitAuthFlows);
        oauth = oauth == null ? OAuthSettings.NONE : oauth;
    }

    /** A client without hosted-UI settings. */
    public AppClient(
            String clientId,
            String clientName,
            String userPoolId,
            Set<String> explicitAuthFlows,
            Instant creationDate) {
        this(clientId, clientName, userPoolId, explicitAuthFlows, creationDate, OAuthSettings.NONE);
    }

    public boolean allows(String flow) {
        return explicitAuthFlows.contains(flow);
    }
}
