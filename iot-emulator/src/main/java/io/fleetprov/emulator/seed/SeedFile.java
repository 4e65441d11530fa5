package io.fleetprov.emulator.seed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.cognito.OAuthSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the emulator is seeded with at start. Templates and policies use the request bodies of AWS's
 * CreateProvisioningTemplate and CreatePolicy; {@code templateBody} and {@code policyDocument} may be given as
 * JSON objects or as the JSON strings AWS expects. {@code eventConfigurations} is the body member of AWS's
 * UpdateEventConfigurations ({@code {"THING": {"Enabled": true}}}); {@code userPools} are Cognito user pools with
 * their app clients, groups and users (seeded passwords are permanent).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SeedFile(
        List<Template> provisioningTemplates,
        List<PolicySeed> policies,
        Map<String, EventConfiguration> eventConfigurations,
        List<UserPoolSeed> userPools) {

    public SeedFile {
        provisioningTemplates = provisioningTemplates == null ? List.of() : List.copyOf(provisioningTemplates);
        policies = policies == null ? List.of() : List.copyOf(policies);
        eventConfigurations = eventConfigurations == null ? Map.of() : Map.copyOf(eventConfigurations);
        userPools = userPools == null ? List.of() : List.copyOf(userPools);
    }

    public SeedFile(List<Template> provisioningTemplates, List<PolicySeed> policies) {
        this(provisioningTemplates, policies, null, null);
    }

    public record EventConfiguration(
            @JsonProperty("Enabled") boolean enabled) {}

    /** @param id optional fixed id ({@code us-east-1_xxx}) so that clients can be configured before the start */
    public record UserPoolSeed(
            String id, String name, List<ClientSeed> clients, List<String> groups, List<UserSeed> users) {
        public UserPoolSeed {
            clients = clients == null ? List.of() : List.copyOf(clients);
            groups = groups == null ? List.of() : List.copyOf(groups);
            users = users == null ? List.of() : List.copyOf(users);
        }
    }

    /**
     * @param clientId optional fixed app-client id
     * @param allowedOAuthFlowsUserPoolClient defaults to true when {@code allowedOAuthFlows} are given
     * @param supportedIdentityProviders defaults to {@code ["COGNITO"]} when {@code allowedOAuthFlows} are given
     */
    public record ClientSeed(
            String clientId,
            String clientName,
            @JsonProperty("callbackURLs") List<String> callbackUrls,
            @JsonProperty("logoutURLs") List<String> logoutUrls,
            List<String> allowedOAuthFlows,
            List<String> allowedOAuthScopes,
            Boolean allowedOAuthFlowsUserPoolClient,
            List<String> supportedIdentityProviders) {

        public ClientSeed(String clientId, String clientName) {
            this(clientId, clientName, null, null, null, null, null, null);
        }

        /** The hosted-UI settings, with the defaults above. */
        public OAuthSettings oauth() {
            boolean oauthFlows = allowedOAuthFlows != null && !allowedOAuthFlows.isEmpty();
            return new OAuthSettings(
                    callbackUrls,
                    logoutUrls,
                    allowedOAuthFlows == null ? null : new LinkedHashSet<>(allowedOAuthFlows),
                    allowedOAuthScopes == null ? null : new LinkedHashSet<>(allowedOAuthScopes),
                    allowedOAuthFlowsUserPoolClient == null ? oauthFlows : allowedOAuthFlowsUserPoolClient,
                    supportedIdentityProviders == null && oauthFlows
                            ? List.of(OAuthSettings.COGNITO)
                            : supportedIdentityProviders);
        }
    }

    public record UserSeed(String username, String password, List<String> groups, Map<String, String> attributes) {
        public UserSeed {
            groups = groups == null ? List.of() : List.copyOf(groups);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** Keeps the password out of logs and error messages. */
        @Override
        public String toString() {
            return "UserSeed[username=" + username + ", groups=" + groups + "]";
        }
    }

    public record Template(
            String templateName,
            String description,
            JsonNode templateBody,
            Boolean enabled,
            String provisioningRoleArn,
            Hook preProvisioningHook,
            String type) {}

    public record Hook(String targetArn, String payloadVersion) {}

    public record PolicySeed(String policyName, JsonNode policyDocument) {}

    public static SeedFile read(Path path) {
        try {
            return new ObjectMapper().readValue(path.toFile(), SeedFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + path + ": " + e.getMessage(), e);
        }
    }

    /** A JSON value given either as a string holding JSON or as JSON itself, as a string. */
    static String asJsonString(JsonNode node) {
        return node == null ? null : node.isTextual() ? node.textValue() : node.toString();
    }
}
