package io.fleetprov.emulator.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns a parsed {@link Template} and one device's parameters into a {@link ProvisioningPlan}. */
final class PlanEvaluator {

    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    private final Template template;
    private final String certificateId;
    private final ExprEvaluator evaluator;

    private PlanEvaluator(Template template, Map<String, String> values, String certificateId) {
        this.template = template;
        this.certificateId = certificateId;
        this.evaluator = new ExprEvaluator(values, template.mappings());
    }

    static ProvisioningPlan evaluate(Template template, Map<String, String> parameters, String certificateId) {
        return new PlanEvaluator(template, bindParameters(template, parameters, certificateId), certificateId).plan();
    }

    /**
     * Device value, else Default, for every declared parameter. The certificate id always comes from
     * the ownership token, never from the device, so a device cannot provision someone else's certificate.
     */
    private static Map<String, String> bindParameters(
            Template template, Map<String, String> parameters, String certificateId) {
        Map<String, String> values = new HashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        for (Template.Parameter parameter : template.parameters()) {
            if (parameter.name().equals(ExprParser.CERTIFICATE_ID)) {
                continue;
            }
            String value = parameters.get(parameter.name());
            if (value == null) {
                value = parameter.defaultValue();
            }
            if (value == null) {
                missing.add(parameter.name());
            } else {
                values.put(parameter.name(), value);
            }
        }
        if (!missing.isEmpty()) {
            throw TemplateException.invalidParameters("Missing required parameter(s): " + missing);
        }
        values.put(ExprParser.CERTIFICATE_ID, certificateId);
        return values;
    }

    private ProvisioningPlan plan() {
        List<PolicySpec> policies = new ArrayList<>();
        template.policies().forEach(policy -> policies.add(policy(policy)));
        return new ProvisioningPlan(
                template.thing() == null ? null : thing(template.thing()),
                template.certificate() == null ? null : certificate(template.certificate()),
                policies,
                flatMap(template.deviceConfiguration(), "DeviceConfiguration"));
    }

    private ThingSpec thing(Template.ThingResource thing) {
        String at = "Resources." + thing.logicalName() + ".Properties";
        String thingName = evaluator.evaluateString(thing.thingName(), at + ".ThingName");
        if (!THING_NAME.matcher(thingName).matches()) {
            throw TemplateException.invalidParameters("Invalid thing name '" + thingName
                    + "': must be 1 to 128 characters of a-z, A-Z, 0-9, ':', '_' and '-'");
        }
        return new ThingSpec(
                thingName,
                flatMap(thing.attributes(), at + ".AttributePayload"),
                optionalString(thing.thingTypeName(), at + ".ThingTypeName"),
                thing.thingGroups() == null
                        ? List.of()
                        : evaluator.evaluateStringList(thing.thingGroups(), at + ".ThingGroups"),
                optionalString(thing.billingGroup(), at + ".BillingGroup"),
                thing.overrides());
    }

    private CertificateSpec certificate(Template.CertificateResource certificate) {
        String at = "Resources." + certificate.logicalName() + ".Properties";
        String id = evaluator.evaluateString(certificate.certificateId(), at + ".CertificateId");
        if (!id.equals(certificateId)) {
            throw TemplateException.invalidTemplate(at + ".CertificateId evaluates to '" + id
                    + "', not the certificate being provisioned ('" + certificateId + "'); use {\"Ref\": \""
                    + ExprParser.CERTIFICATE_ID + "\"}");
        }
        String status = certificate.status() == null
                ? "ACTIVE"
                // A literal status was checked when the template was parsed, so a bad one here came from a parameter.
                : TemplateParser.checkStatus(
                        evaluator.evaluateString(certificate.status(), at + ".Status"),
                        at + ".Status",
                        TemplateException.INVALID_PARAMETERS);
        return new CertificateSpec(id, status, certificate.statusOverride());
    }

    private PolicySpec policy(Template.PolicyResource policy) {
        String at = "Resources." + policy.logicalName() + ".Properties";
        if (policy.policyName() != null) {
            return new PolicySpec(evaluator.evaluateString(policy.policyName(), at + ".PolicyName"), null);
        }
        String where = at + ".PolicyDocument";
        var document = PolicyDocuments.fromEvaluated(evaluator.evaluate(policy.policyDocument(), where), where);
        return new PolicySpec(PolicyDocuments.nameFor(document), TemplateJson.compact(document));
    }

    private String optionalString(Expr expr, String where) {
        return expr == null ? null : evaluator.evaluateString(expr, where);
    }

    private Map<String, String> flatMap(Map<String, Expr> entries, String where) {
        Map<String, String> values = new LinkedHashMap<>();
        entries.forEach((key, expr) -> values.put(key, evaluator.evaluateString(expr, where + "." + key)));
        return values;
    }
}
