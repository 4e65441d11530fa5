package io.fleetprov.emulator.seed;

import io.fleetprov.emulator.cognito.AppClient;
import io.fleetprov.emulator.cognito.CognitoUserPools;
import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.emulator.registry.Registry;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads a seed file into the registry and the user pools; anything invalid stops the start with its error. */
public final class Seeder {

    private Seeder() {}

    /** Registry, event configurations and user pools. */
    public static void apply(SeedFile seed, Registry registry, CognitoUserPools cognito) {
        apply(seed, registry);
        seed.userPools().forEach(pool -> applyUserPool(pool, cognito));
    }

    private static void applyUserPool(SeedFile.UserPoolSeed seed, CognitoUserPools cognito) {
        String poolId = (seed.id() == null
                        ? cognito.pools().createUserPool(seed.name())
                        : cognito.pools().createUserPool(seed.id(), seed.name()))
                .id();
        seed.clients()
                .forEach(client -> cognito.pools()
                        .createAppClient(
                                poolId,
                                client.clientId(),
                                client.clientName(),
                                AppClient.DEFAULT_AUTH_FLOWS,
                                client.oauth()));
        seed.groups().forEach(group -> cognito.users().createGroup(poolId, group));
        for (SeedFile.UserSeed user : seed.users()) {
            cognito.users().adminCreateUser(poolId, user.username(), null, user.attributes());
            // Seeded users are meant to sign in at once, without the first-sign-in password change.
            cognito.users().adminSetUserPassword(poolId, user.username(), user.password(), true);
            user.groups().forEach(group -> cognito.users().adminAddUserToGroup(poolId, user.username(), group));
        }
    }

    /** Registry and event configurations only. */
    public static void apply(SeedFile seed, Registry registry) {
        if (!seed.eventConfigurations().isEmpty()) {
            Map<String, Boolean> changes = new LinkedHashMap<>();
            seed.eventConfigurations().forEach((type, config) -> changes.put(type, config.enabled()));
            registry.eventConfigurations().update(changes);
        }
        for (SeedFile.PolicySeed policy : seed.policies()) {
            registry.policies().create(policy.policyName(), SeedFile.asJsonString(policy.policyDocument()));
        }
        for (SeedFile.Template t : seed.provisioningTemplates()) {
            ProvisioningTemplate.PreProvisioningHook hook = t.preProvisioningHook() == null
                    ? null
                    : new ProvisioningTemplate.PreProvisioningHook(
                            t.preProvisioningHook().targetArn(),
                            t.preProvisioningHook().payloadVersion() == null
                                    ? "2020-04-01"
                                    : t.preProvisioningHook().payloadVersion());
            String role = t.provisioningRoleArn() == null
                    ? "arn:aws:iam::" + registry.arns().accountId() + ":role/fleetprov-provisioning"
                    : t.provisioningRoleArn();
            registry.templates()
                    .create(
                            t.templateName(),
                            t.description(),
                            SeedFile.asJsonString(t.templateBody()),
                            t.enabled() == null || t.enabled(),
                            role,
                            hook,
                            t.type());
        }
    }
}
