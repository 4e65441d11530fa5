package io.fleetprov.emulator.template;

import java.util.List;
import java.util.Map;

/**
 * A template body that has passed every check possible without device parameters; built by
 * {@link TemplateParser}, evaluated by {@link PlanEvaluator}. Nullable parts are absent sections.
 */
record Template(
        List<Parameter> parameters,
        Mappings mappings,
        ThingResource thing,
        CertificateResource certificate,
        List<PolicyResource> policies,
        Map<String, Expr> deviceConfiguration) {

    /** @param defaultValue null when the device must supply the parameter */
    record Parameter(String name, String defaultValue) {}

    record ThingResource(
            String logicalName,
            Expr thingName,
            Map<String, Expr> attributes,
            Expr thingTypeName,
            Expr thingGroups,
            Expr billingGroup,
            Map<ThingProperty, OverrideAction> overrides) {}

    record CertificateResource(String logicalName, Expr certificateId, Expr status, OverrideAction statusOverride) {}

    /** Exactly one of policyName and policyDocument is set. */
    record PolicyResource(String logicalName, Expr policyName, Expr policyDocument) {}
}
