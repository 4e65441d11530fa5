package io.fleetprov.claims;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/** Real access tokens from the emulator's user pool, signed in as an installer app does (USER_PASSWORD_AUTH). */
final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
    private static CognitoIdentityProviderAsyncClient client;

    private Tokens() {}

    static String of(String username) {
        return CACHE.computeIfAbsent(username, Tokens::signIn);
    }

    /** A fresh sign-in, not cached (for tokens minted at a moved clock). */
    static synchronized String signIn(String username) {
        if (client == null) {
            client = CognitoIdentityProviderAsyncClient.builder()
                    .endpointOverride(URI.create(config("fleetprov-test.cognito-url")))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                    .build();
        }
        return client.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .clientId(config("fleetprov-test.cognito-client-id"))
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", ClaimServiceEmulator.PASSWORD)))
                .join()
                .authenticationResult()
                .accessToken();
    }

    static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
