package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the Cognito JSON API, with the service's member names. */
final class CognitoWire {

    private CognitoWire() {}

    /** awsJson timestamps are epoch seconds as a JSON number. */
    static Double epochSeconds(Instant instant) {
        return instant == null ? null : instant.toEpochMilli() / 1000.0;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CreateUserPoolRequest(@JsonProperty("PoolName") String poolName) {}

    record CreateUserPoolResponse(@JsonProperty("UserPool") UserPoolType userPool) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UserPoolType(
            @JsonProperty("Id") String id,
            @JsonProperty("Name") String name,
            @JsonProperty("Arn") String arn,
            @JsonProperty("CreationDate") Double creationDate,
            @JsonProperty("LastModifiedDate") Double lastModifiedDate) {

        static UserPoolType of(UserPool pool) {
            return new UserPoolType(
                    pool.id(),
                    pool.name(),
                    pool.arn(),
                    epochSeconds(pool.creationDate()),
                    epochSeconds(pool.creationDate()));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CreateUserPoolClientRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("ClientName") String clientName,
            @JsonProperty("GenerateSecret") Boolean generateSecret,
            @JsonProperty("ExplicitAuthFlows") List<String> explicitAuthFlows,
            @JsonProperty("CallbackURLs") List<String> callbackUrls,
            @JsonProperty("LogoutURLs") List<String> logoutUrls,
            @JsonProperty("AllowedOAuthFlows") List<String> allowedOAuthFlows,
            @JsonProperty("AllowedOAuthScopes") List<String> allowedOAuthScopes,
            @JsonProperty("AllowedOAuthFlowsUserPoolClient") Boolean allowedOAuthFlowsUserPoolClient,
            @JsonProperty("SupportedIdentityProviders") List<String> supportedIdentityProviders) {

        OAuthSettings oauth() {
            return new OAuthSettings(
                    callbackUrls,
                    logoutUrls,
                    allowedOAuthFlows == null ? null : new java.util.LinkedHashSet<>(allowedOAuthFlows),
                    allowedOAuthScopes == null ? null : new java.util.LinkedHashSet<>(allowedOAuthScopes),
                    Boolean.TRUE.equals(allowedOAuthFlowsUserPoolClient),
                    supportedIdentityProviders);
        }
    }

    record CreateUserPoolClientResponse(
            @JsonProperty("UserPoolClient") UserPoolClientType userPoolClient) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UserPoolClientType(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("ClientName") String clientName,
            @JsonProperty("ClientId") String clientId,
            @JsonProperty("CreationDate") Double creationDate,
            @JsonProperty("LastModifiedDate") Double lastModifiedDate,
            @JsonProperty("ExplicitAuthFlows") List<String> explicitAuthFlows,
            @JsonProperty("CallbackURLs") List<String> callbackUrls,
            @JsonProperty("LogoutURLs") List<String> logoutUrls,
            @JsonProperty("AllowedOAuthFlows") List<String> allowedOAuthFlows,
            @JsonProperty("AllowedOAuthScopes") List<String> allowedOAuthScopes,
            @JsonProperty("AllowedOAuthFlowsUserPoolClient") Boolean allowedOAuthFlowsUserPoolClient,
            @JsonProperty("SupportedIdentityProviders") List<String> supportedIdentityProviders) {

        static UserPoolClientType of(AppClient client) {
            OAuthSettings oauth = client.oauth();
            return new UserPoolClientType(
                    client.userPoolId(),
                    client.clientName(),
                    client.clientId(),
                    epochSeconds(client.creationDate()),
                    epochSeconds(client.creationDate()),
                    client.explicitAuthFlows().stream().sorted().toList(),
                    // Cognito leaves out the members a client was created without.
                    emptyToNull(oauth.callbackUrls()),
                    emptyToNull(oauth.logoutUrls()),
                    emptyToNull(oauth.allowedOAuthFlows().stream().sorted().toList()),
                    emptyToNull(oauth.allowedOAuthScopes().stream().sorted().toList()),
                    oauth.allowedOAuthFlowsUserPoolClient(),
                    emptyToNull(oauth.supportedIdentityProviders()));
        }

        private static List<String> emptyToNull(List<String> list) {
            return list.isEmpty() ? null : list;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AttributeType(
            @JsonProperty("Name") String name,
            @JsonProperty("Value") String value) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AdminCreateUserRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("Username") String username,
            @JsonProperty("TemporaryPassword") String temporaryPassword,
            @JsonProperty("UserAttributes") List<AttributeType> userAttributes) {}

    record AdminCreateUserResponse(@JsonProperty("User") UserType user) {}

    record UserType(
            @JsonProperty("Username") String username,
            @JsonProperty("Attributes") List<AttributeType> attributes,
            @JsonProperty("UserCreateDate") Double userCreateDate,
            @JsonProperty("UserLastModifiedDate") Double userLastModifiedDate,
            @JsonProperty("Enabled") boolean enabled,
            @JsonProperty("UserStatus") String userStatus) {

        static UserType of(CognitoUser user) {
            List<AttributeType> attributes = user.attributes().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> new AttributeType(e.getKey(), e.getValue()))
                    .toList();
            return new UserType(
                    user.username(),
                    attributes,
                    epochSeconds(user.createDate()),
                    epochSeconds(user.lastModifiedDate()),
                    user.enabled(),
                    user.status().name());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AdminGetUserRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("Username") String username) {}

    /** Unlike UserType, AdminGetUser names the list {@code UserAttributes}. */
    record AdminGetUserResponse(
            @JsonProperty("Username") String username,
            @JsonProperty("UserAttributes") List<AttributeType> userAttributes,
            @JsonProperty("UserCreateDate") Double userCreateDate,
            @JsonProperty("UserLastModifiedDate") Double userLastModifiedDate,
            @JsonProperty("Enabled") boolean enabled,
            @JsonProperty("UserStatus") String userStatus) {

        static AdminGetUserResponse of(CognitoUser user) {
            UserType type = UserType.of(user);
            return new AdminGetUserResponse(
                    type.username(),
                    type.attributes(),
                    type.userCreateDate(),
                    type.userLastModifiedDate(),
                    type.enabled(),
                    type.userStatus());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AdminSetUserPasswordRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("Username") String username,
            @JsonProperty("Password") String password,
            @JsonProperty("Permanent") Boolean permanent) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CreateGroupRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("GroupName") String groupName,
            @JsonProperty("Description") String description,
            @JsonProperty("Precedence") Integer precedence) {}

    record CreateGroupResponse(@JsonProperty("Group") GroupType group) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GroupType(
            @JsonProperty("GroupName") String groupName,
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("Description") String description,
            @JsonProperty("Precedence") Integer precedence,
            @JsonProperty("CreationDate") Double creationDate,
            @JsonProperty("LastModifiedDate") Double lastModifiedDate) {

        static GroupType of(Group group) {
            return new GroupType(
                    group.groupName(),
                    group.userPoolId(),
                    group.description(),
                    group.precedence(),
                    epochSeconds(group.creationDate()),
                    epochSeconds(group.lastModifiedDate()));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AdminAddUserToGroupRequest(
            @JsonProperty("UserPoolId") String userPoolId,
            @JsonProperty("Username") String username,
            @JsonProperty("GroupName") String groupName) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record InitiateAuthRequest(
            @JsonProperty("ClientId") String clientId,
            @JsonProperty("AuthFlow") String authFlow,
            @JsonProperty("AuthParameters") Map<String, String> authParameters) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RespondToAuthChallengeRequest(
            @JsonProperty("ClientId") String clientId,
            @JsonProperty("ChallengeName") String challengeName,
            @JsonProperty("Session") String session,
            @JsonProperty("ChallengeResponses") Map<String, String> challengeResponses) {}

    /** The response of InitiateAuth and RespondToAuthChallenge. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuthResponse(
            @JsonProperty("AuthenticationResult") AuthenticationResultType authenticationResult,
            @JsonProperty("ChallengeName") String challengeName,
            @JsonProperty("Session") String session,
            @JsonProperty("ChallengeParameters") Map<String, String> challengeParameters) {

        static AuthResponse of(AuthResult result) {
            if (result.isChallenge()) {
                return new AuthResponse(null, result.challengeName(), result.session(), result.challengeParameters());
            }
            AuthResult.Tokens t = result.tokens();
            // Cognito sends an empty ChallengeParameters object alongside tokens.
            return new AuthResponse(
                    new AuthenticationResultType(
                            t.accessToken(), t.expiresIn(), t.tokenType(), t.refreshToken(), t.idToken()),
                    null,
                    null,
                    Map.of());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuthenticationResultType(
            @JsonProperty("AccessToken") String accessToken,
            @JsonProperty("ExpiresIn") int expiresIn,
            @JsonProperty("TokenType") String tokenType,
            @JsonProperty("RefreshToken") String refreshToken,
            @JsonProperty("IdToken") String idToken) {}

    record ErrorBody(
            @JsonProperty("__type") String type,
            @JsonProperty("message") String message) {}
}
