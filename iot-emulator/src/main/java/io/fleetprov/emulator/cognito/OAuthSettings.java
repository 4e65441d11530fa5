package io.fleetprov.emulator.cognito;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OAuth 2.0 (hosted UI) settings of an app client, as CreateUserPoolClient takes them: {@code CallbackURLs},
 * {@code LogoutURLs}, {@code AllowedOAuthFlows}, {@code AllowedOAuthScopes}, {@code AllowedOAuthFlowsUserPoolClient}
 * and {@code SupportedIdentityProviders}.
 */
public record OAuthSettings(
        List<String> callbackUrls,
        List<String> logoutUrls,
        Set<String> allowedOAuthFlows,
        Set<String> allowedOAuthScopes,
        boolean allowedOAuthFlowsUserPoolClient,
        List<String> supportedIdentityProviders) {

    public static final String CODE = "code";
    public static final String IMPLICIT = "implicit";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** The pool's own users; the emulator has no federated identity providers. */
    public static final String COGNITO = "COGNITO";

    /** Cognito's built-in scopes; anything else must be a resource server's {@code identifier/scope}. */
    public static final Set<String> STANDARD_SCOPES =
            Set.of("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin");

    /** What an app client created without any OAuth member has: no hosted UI. */
    public static final OAuthSettings NONE = new OAuthSettings(null, null, null, null, false, null);

    private static final Set<String> FLOWS = Set.of(CODE, IMPLICIT, CLIENT_CREDENTIALS);
    private static final Pattern CUSTOM_SCOPE = Pattern.compile("[^\\s\"\\\\/]+/[^\\s\"\\\\]+");
    private static final int MAX_URLS = 100;

    public OAuthSettings {
        callbackUrls = callbackUrls == null ? List.of() : List.copyOf(callbackUrls);
        logoutUrls = logoutUrls == null ? List.of() : List.copyOf(logoutUrls);
        allowedOAuthFlows = allowedOAuthFlows == null ? Set.of() : Set.copyOf(allowedOAuthFlows);
        allowedOAuthScopes = allowedOAuthScopes == null ? Set.of() : Set.copyOf(allowedOAuthScopes);
        supportedIdentityProviders =
                supportedIdentityProviders == null ? List.of() : List.copyOf(supportedIdentityProviders);
    }

    /** Whether the client may use this OAuth flow at the hosted UI's endpoints. */
    public boolean allows(String flow) {
        return allowedOAuthFlowsUserPoolClient && allowedOAuthFlows.contains(flow);
    }

    /** Whether users of the pool itself may sign in through the hosted UI. */
    public boolean signInWithCognito() {
        return supportedIdentityProviders.contains(COGNITO);
    }

    /**
     * Cognito's checks of CreateUserPoolClient / UpdateUserPoolClient, with its error wording where known.
     *
     * @param hasSecret whether the client has a secret (client_credentials needs one)
     */
    void validate(String userPoolId, boolean hasSecret) {
        for (String flow : allowedOAuthFlows) {
            if (!FLOWS.contains(flow)) {
                throw CognitoException.invalidParameter("1 validation error detected: Value '[" + flow
                        + "]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy enum value set:"
                        + " [implicit, client_credentials, code]");
            }
        }
        if (allowedOAuthFlows.contains(CLIENT_CREDENTIALS)
                && (allowedOAuthFlows.contains(CODE) || allowedOAuthFlows.contains(IMPLICIT))) {
            throw CognitoException.invalidParameter(
                    "client_credentials flow can not be selected along with code flow or implicit flow.");
        }
        if (allowedOAuthFlows.contains(CLIENT_CREDENTIALS) && !hasSecret) {
            throw CognitoException.invalidParameter(
                    "client_credentials flow can not be selected if client does not have a client secret.");
        }
        for (String scope : allowedOAuthScopes) {
            if (!STANDARD_SCOPES.contains(scope)
                    && (scope == null || !CUSTOM_SCOPE.matcher(scope).matches())) {
                throw CognitoException.invalidParameter("Invalid scope requested: " + scope);
            }
        }
        checkUrls("callbackURLs", callbackUrls);
        checkUrls("logoutURLs", logoutUrls);
        for (String provider : supportedIdentityProviders) {
            if (!COGNITO.equals(provider)) {
                throw CognitoException.invalidParameter(
                        "The provider " + provider + " does not exist for User Pool " + userPoolId);
            }
        }
        if (allowedOAuthFlowsUserPoolClient) {
            if (allowedOAuthFlows.isEmpty() || allowedOAuthScopes.isEmpty()) {
                throw CognitoException.invalidParameter("AllowedOAuthFlows and AllowedOAuthScopes are required if user"
                        + " pool client is allowed to use OAuth flows.");
            }
            if ((allowedOAuthFlows.contains(CODE) || allowedOAuthFlows.contains(IMPLICIT)) && callbackUrls.isEmpty()) {
                throw CognitoException.invalidParameter(
                        "CallbackURLs can not be empty when code or implicit flow is selected.");
            }
        }
    }

    private static void checkUrls(String member, List<String> urls) {
        if (urls.size() > MAX_URLS) {
            throw CognitoException.invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + MAX_URLS);
        }
        for (String url : urls) {
            RedirectUris.requireRegistrable(member, url);
        }
    }
}
