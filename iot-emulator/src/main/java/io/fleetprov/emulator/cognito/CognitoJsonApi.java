package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.cognito.CognitoWire.AccessTokenRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminAddUserToGroupRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminConfirmSignUpRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminCreateUserRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminCreateUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.AdminGetUserRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminGetUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.AdminInitiateAuthRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminListGroupsForUserRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminListGroupsForUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.AdminRespondToAuthChallengeRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminSetUserPasswordRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminUserGlobalSignOutRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AttributeType;
import io.fleetprov.emulator.cognito.CognitoWire.AuthResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CodeDeliveryDetailsType;
import io.fleetprov.emulator.cognito.CognitoWire.ConfirmForgotPasswordRequest;
import io.fleetprov.emulator.cognito.CognitoWire.ConfirmSignUpRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateGroupRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateGroupResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolClientRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolClientResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolResponse;
import io.fleetprov.emulator.cognito.CognitoWire.DescribeUserPoolClientRequest;
import io.fleetprov.emulator.cognito.CognitoWire.DescribeUserPoolClientResponse;
import io.fleetprov.emulator.cognito.CognitoWire.DescribeUserPoolRequest;
import io.fleetprov.emulator.cognito.CognitoWire.DescribeUserPoolResponse;
import io.fleetprov.emulator.cognito.CognitoWire.DescribedUserPoolType;
import io.fleetprov.emulator.cognito.CognitoWire.ForgotPasswordRequest;
import io.fleetprov.emulator.cognito.CognitoWire.ForgotPasswordResponse;
import io.fleetprov.emulator.cognito.CognitoWire.GetUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.GroupType;
import io.fleetprov.emulator.cognito.CognitoWire.InitiateAuthRequest;
import io.fleetprov.emulator.cognito.CognitoWire.ListUsersRequest;
import io.fleetprov.emulator.cognito.CognitoWire.ListUsersResponse;
import io.fleetprov.emulator.cognito.CognitoWire.RespondToAuthChallengeRequest;
import io.fleetprov.emulator.cognito.CognitoWire.SignUpRequest;
import io.fleetprov.emulator.cognito.CognitoWire.SignUpResponse;
import io.fleetprov.emulator.cognito.CognitoWire.UserPoolClientType;
import io.fleetprov.emulator.cognito.CognitoWire.UserPoolType;
import io.fleetprov.emulator.cognito.CognitoWire.UserType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Maps {@code X-Amz-Target} operations and their JSON bodies onto the parts of {@link CognitoUserPools}. */
final class CognitoJsonApi {

    private static final Set<String> KNOWN_AUTH_FLOWS = Set.of(
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_AUTH",
            "ADMIN_NO_SRP_AUTH",
            "CUSTOM_AUTH_FLOW_ONLY",
            "USER_PASSWORD_AUTH");

    private final CognitoUserPools cognito;
    private final ObjectMapper mapper;
    private final Map<String, Function<JsonNode, Object>> operations = new LinkedHashMap<>();

    CognitoJsonApi(CognitoUserPools cognito, ObjectMapper mapper) {
        this.cognito = cognito;
        this.mapper = mapper;
        operations.put("CreateUserPool", body -> createUserPool(read(body, CreateUserPoolRequest.class)));
        operations.put(
                "CreateUserPoolClient", body -> createUserPoolClient(read(body, CreateUserPoolClientRequest.class)));
        operations.put(
                "DescribeUserPoolClient",
                body -> describeUserPoolClient(read(body, DescribeUserPoolClientRequest.class)));
        operations.put("AdminCreateUser", body -> adminCreateUser(read(body, AdminCreateUserRequest.class)));
        operations.put("AdminGetUser", body -> adminGetUser(read(body, AdminGetUserRequest.class)));
        operations.put(
                "AdminSetUserPassword", body -> adminSetUserPassword(read(body, AdminSetUserPasswordRequest.class)));
        operations.put("CreateGroup", body -> createGroup(read(body, CreateGroupRequest.class)));
        operations.put(
                "AdminAddUserToGroup", body -> adminAddUserToGroup(read(body, AdminAddUserToGroupRequest.class)));
        operations.put("InitiateAuth", body -> initiateAuth(read(body, InitiateAuthRequest.class)));
        operations.put("AdminInitiateAuth", body -> adminInitiateAuth(read(body, AdminInitiateAuthRequest.class)));
        operations.put(
                "AdminRespondToAuthChallenge",
                body -> adminRespondToAuthChallenge(read(body, AdminRespondToAuthChallengeRequest.class)));
        operations.put("GetUser", body -> getUser(read(body, AccessTokenRequest.class)));
        operations.put("GlobalSignOut", body -> globalSignOut(read(body, AccessTokenRequest.class)));
        operations.put(
                "AdminUserGlobalSignOut",
                body -> adminUserGlobalSignOut(read(body, AdminUserGlobalSignOutRequest.class)));
        operations.put("SignUp", body -> signUp(read(body, SignUpRequest.class)));
        operations.put("ConfirmSignUp", body -> confirmSignUp(read(body, ConfirmSignUpRequest.class)));
        operations.put("AdminConfirmSignUp", body -> adminConfirmSignUp(read(body, AdminConfirmSignUpRequest.class)));
        operations.put("ForgotPassword", body -> forgotPassword(read(body, ForgotPasswordRequest.class)));
        operations.put(
                "ConfirmForgotPassword", body -> confirmForgotPassword(read(body, ConfirmForgotPasswordRequest.class)));
        operations.put("DescribeUserPool", body -> describeUserPool(read(body, DescribeUserPoolRequest.class)));
        operations.put("ListUsers", body -> listUsers(read(body, ListUsersRequest.class)));
        operations.put(
                "AdminListGroupsForUser",
                body -> adminListGroupsForUser(read(body, AdminListGroupsForUserRequest.class)));
        operations.put(
                "RespondToAuthChallenge",
                body -> respondToAuthChallenge(read(body, RespondToAuthChallengeRequest.class)));
    }

    /** @return the response body object, serialised by the caller */
    Object invoke(String operation, JsonNode body) {
        Function<JsonNode, Object> handler = operations.get(operation);
        if (handler == null) {
            throw CognitoException.unknownOperation("Unknown operation " + operation);
        }
        return handler.apply(body);
    }

    private Object createUserPool(CreateUserPoolRequest request) {
        return new CreateUserPoolResponse(UserPoolType.of(cognito.pools().createUserPool(request.poolName())));
    }

    private Object createUserPoolClient(CreateUserPoolClientRequest request) {
        Set<String> flows = AppClient.DEFAULT_AUTH_FLOWS;
        if (request.explicitAuthFlows() != null && !request.explicitAuthFlows().isEmpty()) {
            flows = new LinkedHashSet<>();
            for (String flow : request.explicitAuthFlows()) {
                if (!KNOWN_AUTH_FLOWS.contains(flow)) {
                    throw CognitoException.invalidParameter(
                            "1 validation error detected: Value '" + flow
                                    + "' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set");
                }
                // The legacy names enable the same flows as their ALLOW_ successors.
                flows.add(
                        switch (flow) {
                            case "USER_PASSWORD_AUTH" -> AppClient.ALLOW_USER_PASSWORD_AUTH;
                            case "ADMIN_NO_SRP_AUTH" -> AppClient.ALLOW_ADMIN_USER_PASSWORD_AUTH;
                            default -> flow;
                        });
            }
        }
        String secret =
                Boolean.TRUE.equals(request.generateSecret()) ? cognito.pools().generateClientSecret() : null;
        AppClient client = cognito.pools()
                .createAppClient(request.userPoolId(), null, request.clientName(), flows, secret, request.oauth());
        return new CreateUserPoolClientResponse(UserPoolClientType.of(client));
    }

    private Object describeUserPoolClient(DescribeUserPoolClientRequest request) {
        AppClient client = cognito.pools().client(request.userPoolId(), request.clientId());
        return new DescribeUserPoolClientResponse(UserPoolClientType.of(client));
    }

    private Object adminCreateUser(AdminCreateUserRequest request) {
        CognitoUser user = cognito.users()
                .adminCreateUser(
                        request.userPoolId(),
                        request.username(),
                        request.temporaryPassword(),
                        attributes(request.userAttributes()));
        return new AdminCreateUserResponse(UserType.of(user));
    }

    private static Map<String, String> attributes(List<AttributeType> given) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (AttributeType attribute : given == null ? List.<AttributeType>of() : given) {
            if (attribute == null || attribute.name() == null) {
                throw CognitoException.invalidParameter("Attribute name must not be null.");
            }
            attributes.put(attribute.name(), attribute.value() == null ? "" : attribute.value());
        }
        return attributes;
    }

    private Object signUp(SignUpRequest request) {
        SignUps.Registration registration = cognito.signUps()
                .signUp(
                        request.clientId(),
                        request.username(),
                        request.password(),
                        attributes(request.userAttributes()),
                        request.secretHash());
        PasswordReset.Delivery delivery = registration.delivery();
        return new SignUpResponse(
                false,
                delivery == null
                        ? null
                        : new CodeDeliveryDetailsType(
                                delivery.destination(), delivery.deliveryMedium(), delivery.attributeName()),
                registration.userSub());
    }

    private Object confirmSignUp(ConfirmSignUpRequest request) {
        cognito.signUps()
                .confirmSignUp(
                        request.clientId(), request.username(), request.confirmationCode(), request.secretHash());
        return Map.of();
    }

    private Object adminConfirmSignUp(AdminConfirmSignUpRequest request) {
        cognito.users().confirmSignUp(request.userPoolId(), request.username());
        return Map.of();
    }

    private Object adminGetUser(AdminGetUserRequest request) {
        return AdminGetUserResponse.of(cognito.users().adminGetUser(request.userPoolId(), request.username()));
    }

    private Object adminSetUserPassword(AdminSetUserPasswordRequest request) {
        cognito.users()
                .adminSetUserPassword(
                        request.userPoolId(),
                        request.username(),
                        request.password(),
                        Boolean.TRUE.equals(request.permanent()));
        return Map.of();
    }

    private Object createGroup(CreateGroupRequest request) {
        Group group = cognito.users()
                .createGroup(request.userPoolId(), request.groupName(), request.description(), request.precedence());
        return new CreateGroupResponse(GroupType.of(group));
    }

    private Object adminAddUserToGroup(AdminAddUserToGroupRequest request) {
        cognito.users().adminAddUserToGroup(request.userPoolId(), request.username(), request.groupName());
        return Map.of();
    }

    private Object initiateAuth(InitiateAuthRequest request) {
        return AuthResponse.of(cognito.authentication()
                .initiateAuth(request.clientId(), request.authFlow(), request.authParameters()));
    }

    private Object respondToAuthChallenge(RespondToAuthChallengeRequest request) {
        return AuthResponse.of(cognito.authentication()
                .respondToAuthChallenge(
                        request.clientId(), request.challengeName(), request.session(), request.challengeResponses()));
    }

    private Object adminInitiateAuth(AdminInitiateAuthRequest request) {
        return AuthResponse.of(cognito.authentication()
                .adminInitiateAuth(
                        request.userPoolId(), request.clientId(), request.authFlow(), request.authParameters()));
    }

    private Object adminRespondToAuthChallenge(AdminRespondToAuthChallengeRequest request) {
        return AuthResponse.of(cognito.authentication()
                .adminRespondToAuthChallenge(
                        request.userPoolId(),
                        request.clientId(),
                        request.challengeName(),
                        request.session(),
                        request.challengeResponses()));
    }

    private Object getUser(AccessTokenRequest request) {
        TokenService.AccessTokenHolder holder = cognito.tokens().checkAccessToken(request.accessToken());
        UserType user = UserType.of(cognito.users().adminGetUser(holder.userPoolId(), holder.username()));
        return new GetUserResponse(user.username(), user.attributes());
    }

    private Object globalSignOut(AccessTokenRequest request) {
        TokenService.AccessTokenHolder holder = cognito.tokens().checkAccessToken(request.accessToken());
        cognito.tokens().signOutEverywhere(holder.userPoolId(), holder.username());
        return Map.of();
    }

    private Object adminUserGlobalSignOut(AdminUserGlobalSignOutRequest request) {
        cognito.users().adminGetUser(request.userPoolId(), request.username());
        cognito.tokens().signOutEverywhere(request.userPoolId(), request.username());
        return Map.of();
    }

    private Object forgotPassword(ForgotPasswordRequest request) {
        PasswordReset.Delivery delivery =
                cognito.passwordReset().forgotPassword(request.clientId(), request.username(), request.secretHash());
        return new ForgotPasswordResponse(new CodeDeliveryDetailsType(
                delivery.destination(), delivery.deliveryMedium(), delivery.attributeName()));
    }

    private Object confirmForgotPassword(ConfirmForgotPasswordRequest request) {
        cognito.passwordReset()
                .confirmForgotPassword(
                        request.clientId(),
                        request.username(),
                        request.confirmationCode(),
                        request.password(),
                        request.secretHash());
        return Map.of();
    }

    private Object describeUserPool(DescribeUserPoolRequest request) {
        UserPool pool = cognito.pools().pool(request.userPoolId());
        Map<String, Object> passwordPolicy = new LinkedHashMap<>();
        passwordPolicy.put("MinimumLength", UserDirectory.MIN_PASSWORD_LENGTH);
        passwordPolicy.put("RequireUppercase", false);
        passwordPolicy.put("RequireLowercase", false);
        passwordPolicy.put("RequireNumbers", false);
        passwordPolicy.put("RequireSymbols", false);
        passwordPolicy.put("TemporaryPasswordValidityDays", NewPasswordChallenge.TEMPORARY_PASSWORD_VALIDITY.toDays());
        return new DescribeUserPoolResponse(new DescribedUserPoolType(
                pool.id(),
                pool.name(),
                pool.arn(),
                CognitoWire.epochSeconds(pool.creationDate()),
                CognitoWire.epochSeconds(pool.creationDate()),
                cognito.users().userCount(pool.id()),
                Map.of("PasswordPolicy", passwordPolicy)));
    }

    private Object listUsers(ListUsersRequest request) {
        var matches = UserFilter.parse(request.filter());
        List<CognitoUser> users = cognito.users().listUsers(request.userPoolId()).stream()
                .filter(matches)
                .toList();
        Paging.Page<CognitoUser> page = Paging.page(
                users, CognitoUser::username, request.limit(), request.paginationToken(), "PaginationToken");
        List<String> only = request.attributesToGet();
        List<UserType> listed = page.items().stream()
                .map(UserType::of)
                .map(user -> only == null || only.isEmpty()
                        ? user
                        : new UserType(
                                user.username(),
                                user.attributes().stream()
                                        .filter(a -> only.contains(a.name()))
                                        .toList(),
                                user.userCreateDate(),
                                user.userLastModifiedDate(),
                                user.enabled(),
                                user.userStatus()))
                .toList();
        return new ListUsersResponse(listed, page.nextToken());
    }

    private Object adminListGroupsForUser(AdminListGroupsForUserRequest request) {
        List<Group> groups = cognito.users().groupsOf(request.userPoolId(), request.username());
        Paging.Page<Group> page =
                Paging.page(groups, Group::groupName, request.limit(), request.nextToken(), "NextToken");
        return new AdminListGroupsForUserResponse(
                page.items().stream().map(GroupType::of).toList(), page.nextToken());
    }

    private <T> T read(JsonNode body, Class<T> type) {
        if (!body.isObject()) {
            throw CognitoException.serialization("Request body must be a JSON object");
        }
        try {
            return mapper.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson's message would echo request values, which may include passwords.
            throw CognitoException.serialization("Cannot deserialize the request body");
        }
    }
}
