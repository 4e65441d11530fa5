package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.cognito.CognitoWire.AdminAddUserToGroupRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminCreateUserRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminCreateUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.AdminGetUserRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AdminGetUserResponse;
import io.fleetprov.emulator.cognito.CognitoWire.AdminSetUserPasswordRequest;
import io.fleetprov.emulator.cognito.CognitoWire.AttributeType;
import io.fleetprov.emulator.cognito.CognitoWire.AuthResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CreateGroupRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateGroupResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolClientRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolClientResponse;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolRequest;
import io.fleetprov.emulator.cognito.CognitoWire.CreateUserPoolResponse;
import io.fleetprov.emulator.cognito.CognitoWire.GroupType;
import io.fleetprov.emulator.cognito.CognitoWire.InitiateAuthRequest;
import io.fleetprov.emulator.cognito.CognitoWire.RespondToAuthChallengeRequest;
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
        operations.put("AdminCreateUser", body -> adminCreateUser(read(body, AdminCreateUserRequest.class)));
        operations.put("AdminGetUser", body -> adminGetUser(read(body, AdminGetUserRequest.class)));
        operations.put(
                "AdminSetUserPassword", body -> adminSetUserPassword(read(body, AdminSetUserPasswordRequest.class)));
        operations.put("CreateGroup", body -> createGroup(read(body, CreateGroupRequest.class)));
        operations.put(
                "AdminAddUserToGroup", body -> adminAddUserToGroup(read(body, AdminAddUserToGroupRequest.class)));
        operations.put("InitiateAuth", body -> initiateAuth(read(body, InitiateAuthRequest.class)));
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
        if (Boolean.TRUE.equals(request.generateSecret())) {
            // Without secrets every InitiateAuth would need a SECRET_HASH the emulator does not check; refusing is
            // more honest than silently accepting requests that AWS would reject.
            throw CognitoException.invalidParameter("GenerateSecret is not supported by this emulator.");
        }
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
                flows.add("USER_PASSWORD_AUTH".equals(flow) ? AppClient.ALLOW_USER_PASSWORD_AUTH : flow);
            }
        }
        AppClient client = cognito.pools()
                .createAppClient(request.userPoolId(), null, request.clientName(), flows, request.oauth());
        return new CreateUserPoolClientResponse(UserPoolClientType.of(client));
    }

    private Object adminCreateUser(AdminCreateUserRequest request) {
        Map<String, String> attributes = new LinkedHashMap<>();
        List<AttributeType> given = request.userAttributes() == null ? List.of() : request.userAttributes();
        for (AttributeType attribute : given) {
            if (attribute == null || attribute.name() == null) {
                throw CognitoException.invalidParameter("Attribute name must not be null.");
            }
            attributes.put(attribute.name(), attribute.value() == null ? "" : attribute.value());
        }
        CognitoUser user = cognito.users()
                .adminCreateUser(request.userPoolId(), request.username(), request.temporaryPassword(), attributes);
        return new AdminCreateUserResponse(UserType.of(user));
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
