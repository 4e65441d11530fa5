package io.fleetprov.emulator.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;

/** The OAuth members of CreateUserPoolClient and DescribeUserPoolClient, through the AWS SDK. */
class OAuthAppClientTest {

    private CognitoTestServer server;
    private String poolId;

    @BeforeEach
    void start() throws Exception {
        server = new CognitoTestServer();
        poolId = server.cognito.pools().createUserPool("pool").id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theOAuthMembersAreKeptAndDescribed() {
        UserPoolClientType created =
                server.sdk().createUserPoolClient(codeClient().build()).userPoolClient();

        assertThat(created.callbackURLs())
                .containsExactly("https://app.example.com/callback", "http://localhost:3000/cb");
        assertThat(created.logoutURLs()).containsExactly("https://app.example.com/signed-out");
        assertThat(created.allowedOAuthFlows()).containsExactly(OAuthFlowType.CODE);
        assertThat(created.allowedOAuthScopes()).containsExactly("email", "openid");
        assertThat(created.allowedOAuthFlowsUserPoolClient()).isTrue();
        assertThat(created.supportedIdentityProviders()).containsExactly("COGNITO");
        UserPoolClientType described = server.sdk()
                .describeUserPoolClient(r -> r.userPoolId(poolId).clientId(created.clientId()))
                .userPoolClient();
        assertThat(described.callbackURLs()).isEqualTo(created.callbackURLs());
        assertThat(described.allowedOAuthFlows()).isEqualTo(created.allowedOAuthFlows());
        assertThat(server.cognito
                        .pools()
                        .findAppClient(created.clientId())
                        .orElseThrow()
                        .oauth()
                        .allows("code"))
                .isTrue();
    }

    @Test
    void aClientWithoutOAuthMembersHasNone() {
        UserPoolClientType created = server.sdk()
                .createUserPoolClient(r -> r.userPoolId(poolId).clientName("plain"))
                .userPoolClient();

        assertThat(created.hasCallbackURLs()).isFalse();
        assertThat(created.allowedOAuthFlowsUserPoolClient()).isFalse();
    }

    @Test
    void clientCredentialsNeedsASecretAndStandsAlone() {
        assertRefused(codeClient()
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                .allowedOAuthScopes("fleetprov/claims.write"));
        assertRefused(codeClient()
                .generateSecret(true)
                .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS, OAuthFlowType.CODE)
                .allowedOAuthScopes("fleetprov/claims.write"));

        UserPoolClientType m2m = server.sdk()
                .createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("m2m")
                        .generateSecret(true)
                        .allowedOAuthFlows(OAuthFlowType.CLIENT_CREDENTIALS)
                        .allowedOAuthScopes("fleetprov/claims.write")
                        .allowedOAuthFlowsUserPoolClient(true))
                .userPoolClient();
        assertThat(m2m.clientSecret()).isNotBlank();
    }

    @Test
    void cognitosUrlAndScopeRulesHold() {
        assertRefused(codeClient().callbackURLs("http://app.example.com/callback")); // HTTP beyond localhost
        assertRefused(codeClient().callbackURLs("https://app.example.com/callback#x"));
        assertRefused(codeClient().logoutURLs("relative/path"));
        assertRefused(codeClient().callbackURLs()); // the code flow needs a callback
        assertRefused(codeClient().allowedOAuthScopes("openid", "admin")); // neither standard nor resource/scope
        assertRefused(codeClient().supportedIdentityProviders("Google"));
        assertRefused(codeClient().allowedOAuthFlows((OAuthFlowType) null).allowedOAuthFlowsWithStrings("password"));
    }

    private CreateUserPoolClientRequest.Builder codeClient() {
        return CreateUserPoolClientRequest.builder()
                .userPoolId(poolId)
                .clientName("web")
                .callbackURLs("https://app.example.com/callback", "http://localhost:3000/cb")
                .logoutURLs("https://app.example.com/signed-out")
                .allowedOAuthFlows(OAuthFlowType.CODE)
                .allowedOAuthScopes("openid", "email")
                .allowedOAuthFlowsUserPoolClient(true)
                .supportedIdentityProviders("COGNITO");
    }

    private void assertRefused(CreateUserPoolClientRequest.Builder request) {
        assertThatThrownBy(() -> server.sdk().createUserPoolClient(request.build()))
                .isInstanceOf(InvalidParameterException.class);
    }
}
