package io.fleetprov.emulator.seed;

import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.emulator.registry.Registry;

/** Loads a seed file into the registry; anything invalid stops the start with the registry's error. */
public final class Seeder {

    private Seeder() {
    }

    public static void apply(SeedFile seed, Registry registry) {
        for (SeedFile.PolicySeed policy : seed.policies()) {
            registry.createPolicy(policy.policyName(), SeedFile.asJsonString(policy.policyDocument()));
        }
        for (SeedFile.Template t : seed.provisioningTemplates()) {
            ProvisioningTemplate.PreProvisioningHook hook = t.preProvisioningHook() == null ? null
                    : new ProvisioningTemplate.PreProvisioningHook(t.preProvisioningHook().targetArn(),
                            t.preProvisioningHook().payloadVersion() == null ? "2020-04-01"
                                    : t.preProvisioningHook().payloadVersion());
            String role = t.provisioningRoleArn() == null
                    ? "arn:aws:iam::" + registry.arns().accountId() + ":role/fleetprov-provisioning"
                    : t.provisioningRoleArn();
            registry.createProvisioningTemplate(t.templateName(), t.description(),
                    SeedFile.asJsonString(t.templateBody()), t.enabled() == null || t.enabled(), role, hook,
                    t.type());
        }
    }
}
