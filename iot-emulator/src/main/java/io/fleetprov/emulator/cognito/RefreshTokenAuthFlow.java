package io.fleetprov.emulator.cognito;

import static io.fleetprov.emulator.cognito.Validation.required;

import java.util.Map;
import java.util.Set;

/** {@code REFRESH_TOKEN_AUTH} (alias {@code REFRESH_TOKEN}): new ID and access tokens for a refresh token. */
final class RefreshTokenAuthFlow implements AuthFlow {

    private final TokenService tokens;

    RefreshTokenAuthFlow(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Set<String> names() {
        return Set.of("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN");
    }

    @Override
    public String clientPermission() {
        return AppClient.ALLOW_REFRESH_TOKEN_AUTH;
    }

    @Override
    public AuthResult initiate(AppClient client, Map<String, String> parameters) {
        return tokens.refresh(client, required(parameters, "REFRESH_TOKEN"), parameters.get(SecretHash.PARAMETER));
    }
}
