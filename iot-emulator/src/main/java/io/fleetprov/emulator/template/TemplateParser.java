package io.fleetprov.emulator.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a template body into a {@link Template}. Unknown sections, properties and keys are refused
 * rather than ignored: a misspelt "ThingGroup" silently dropped would only show up as a device
 * missing from its group, long after the template was accepted.
 */
final class TemplateParser {

    /** CreateProvisioningTemplate's limit on templateBody. */
    static final int MAX_TEMPLATE_CHARS = 10240;

    static final String THING = "AWS::IoT::Thing";
    static final String CERTIFICATE = "AWS::IoT::Certificate";
    static final String POLICY = "AWS::IoT::Policy";

    // AWSTemplateFormatVersion and Description are harmless CloudFormation habits, so they are tolerated.
    private static final Set<String> SECTIONS = Set.of(
            "Parameters", "Mappings", "Resources", "DeviceConfiguration", "AWSTemplateFormatVersion", "Description");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "Description");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "OverrideSettings");
    private static final Set<String> THING_PROPERTIES =
            Set.of("ThingName", "AttributePayload", "ThingTypeName", "ThingGroups", "BillingGroup");
    private static final Set<String> CERTIFICATE_PROPERTIES = Set.of("CertificateId", "Status");
    private static final Set<String> UNSUPPORTED_CERTIFICATE_PROPERTIES =
            Set.of("CertificatePem", "CACertificatePem", "CertificateSigningRequest");
    private static final Set<String> POLICY_PROPERTIES = Set.of("PolicyName", "PolicyDocument");
    private static final Set<String> STATUSES = Set.of("ACTIVE", "INACTIVE");

    private TemplateParser() {}

    static Template parse(String body) {
        if (body == null || body.isBlank()) {
            throw TemplateException.invalidTemplate("Template body is empty");
        }
        if (body.length() > MAX_TEMPLATE_CHARS) {
            throw TemplateException.invalidTemplate(
                    "Template body is " + body.length() + " characters; the maximum is " + MAX_TEMPLATE_CHARS);
        }
        JsonNode root = TemplateJson.read(body, "Template body");
        if (!root.isObject()) {
            throw TemplateException.invalidTemplate("Template body must be a JSON object");
        }
        checkKeys(root, SECTIONS, "template section");

        List<Template.Parameter> parameters = parseParameters(section(root, "Parameters"));
        Mappings mappings = root.has("Mappings") ? Mappings.parse(root.get("Mappings")) : Mappings.empty();
        Set<String> declared = new LinkedHashSet<>();
        parameters.forEach(p -> declared.add(p.name()));
        ExprParser exprs = new ExprParser(declared, mappings);

        if (!root.has("Resources")) {
            throw TemplateException.invalidTemplate("Template has no Resources section");
        }
        ResourcesBuilder resources = new ResourcesBuilder(exprs);
        section(root, "Resources")
                .properties()
                .iterator()
                .forEachRemaining(r -> resources.add(r.getKey(), r.getValue()));

        Map<String, Expr> deviceConfiguration = root.has("DeviceConfiguration")
                ? exprs.parseFlatMap(root.get("DeviceConfiguration"), "DeviceConfiguration")
                : Map.of();

        return new Template(
                List.copyOf(parameters),
                mappings,
                resources.thing,
                resources.certificate,
                List.copyOf(resources.policies),
                deviceConfiguration);
    }

    private static JsonNode section(JsonNode root, String name) {
        JsonNode section = root.path(name);
        if (section.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!section.isObject()) {
            throw TemplateException.invalidTemplate(name + " must be a JSON object");
        }
        return section;
    }

    private static List<Template.Parameter> parseParameters(JsonNode section) {
        List<Template.Parameter> parameters = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = section.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = "Parameters." + entry.getKey();
            JsonNode declaration = entry.getValue();
            if (!declaration.isObject()) {
                throw TemplateException.invalidTemplate(
                        where + " must be a JSON object such as {\"Type\": \"String\"}");
            }
            checkKeys(declaration, PARAMETER_KEYS, where + " key");
            if (!"String".equals(declaration.path("Type").asText(null))) {
                throw TemplateException.invalidTemplate(where + ": Type must be \"String\"");
            }
            JsonNode defaultValue = declaration.get("Default");
            if (defaultValue != null && !(defaultValue.isValueNode() && !defaultValue.isNull())) {
                throw TemplateException.invalidTemplate(where + ": Default must be a string");
            }
            parameters.add(new Template.Parameter(entry.getKey(), defaultValue == null ? null : defaultValue.asText()));
        }
        return parameters;
    }

    /** Collects resources, enforcing fleet provisioning's one thing and one certificate. */
    private static final class ResourcesBuilder {
        private final ExprParser exprs;
        private Template.ThingResource thing;
        private Template.CertificateResource certificate;
        private final List<Template.PolicyResource> policies = new ArrayList<>();

        ResourcesBuilder(ExprParser exprs) {
            this.exprs = exprs;
        }

        void add(String logicalName, JsonNode resource) {
            String where = "Resources." + logicalName;
            if (!resource.isObject()) {
                throw TemplateException.invalidTemplate(where + " must be a JSON object");
            }
            checkKeys(resource, RESOURCE_KEYS, where + " key");
            JsonNode type = resource.get("Type");
            if (type == null || !type.isTextual()) {
                throw TemplateException.invalidTemplate(where + " has no Type");
            }
            JsonNode properties = resource.path("Properties");
            if (properties.isMissingNode()) {
                properties = JsonNodeFactory.instance.objectNode();
            } else if (!properties.isObject() || ExprParser.isIntrinsic(properties)) {
                throw TemplateException.invalidTemplate(where + ".Properties must be a JSON object");
            }
            JsonNode overrides = resource.get("OverrideSettings");
            if (overrides != null && !overrides.isObject()) {
                throw TemplateException.invalidTemplate(where + ".OverrideSettings must be a JSON object");
            }
            switch (type.asText()) {
                case THING -> addThing(logicalName, properties, overrides, where);
                case CERTIFICATE -> addCertificate(logicalName, properties, overrides, where);
                case POLICY -> addPolicy(logicalName, properties, overrides, where);
                default ->
                    throw TemplateException.invalidTemplate(where + " has unsupported resource type '" + type.asText()
                            + "'; supported: " + THING + ", " + CERTIFICATE + ", " + POLICY);
            }
        }

        private void addThing(String logicalName, JsonNode properties, JsonNode overrides, String where) {
            if (thing != null) {
                throw TemplateException.invalidTemplate(where + ": a template may have only one " + THING
                        + " (already declared as " + thing.logicalName() + ")");
            }
            String at = where + ".Properties";
            checkKeys(properties, THING_PROPERTIES, at + " property");
            if (!properties.has("ThingName")) {
                throw TemplateException.invalidTemplate(at + ": ThingName is required");
            }
            Map<String, Expr> attributes = properties.has("AttributePayload")
                    ? exprs.parseFlatMap(properties.get("AttributePayload"), at + ".AttributePayload")
                    : Map.of();
            thing = new Template.ThingResource(
                    logicalName,
                    exprs.parseScalar(properties.get("ThingName"), at + ".ThingName"),
                    attributes,
                    optionalScalar(properties, "ThingTypeName", at),
                    thingGroups(properties.get("ThingGroups"), at + ".ThingGroups"),
                    optionalScalar(properties, "BillingGroup", at),
                    OverrideSettings.forThing(overrides, where + ".OverrideSettings"));
        }

        private Expr thingGroups(JsonNode node, String where) {
            if (node == null) {
                return null;
            }
            if (node.isArray()) {
                List<Expr> groups = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    groups.add(exprs.parseScalar(node.get(i), where + "[" + i + "]"));
                }
                return new Expr.ListOf(groups);
            }
            if (ExprParser.isIntrinsic(node)) {
                return exprs.parse(node, where); // e.g. Fn::Split; must yield a list on evaluation
            }
            throw TemplateException.invalidTemplate(where + " must be a list of group names");
        }

        private void addCertificate(String logicalName, JsonNode properties, JsonNode overrides, String where) {
            if (certificate != null) {
                throw TemplateException.invalidTemplate(where + ": a template may have only one " + CERTIFICATE
                        + " (already declared as " + certificate.logicalName() + ")");
            }
            String at = where + ".Properties";
            for (String unsupported : UNSUPPORTED_CERTIFICATE_PROPERTIES) {
                if (properties.has(unsupported)) {
                    throw TemplateException.invalidTemplate(at + "." + unsupported
                            + " is not supported in fleet provisioning templates; use CertificateId with "
                            + "{\"Ref\": \"" + ExprParser.CERTIFICATE_ID + "\"}");
                }
            }
            checkKeys(properties, CERTIFICATE_PROPERTIES, at + " property");
            if (!properties.has("CertificateId")) {
                throw TemplateException.invalidTemplate(at + ": CertificateId is required");
            }
            JsonNode status = properties.get("Status");
            if (status != null && status.isValueNode()) {
                checkStatus(status.asText(), at + ".Status", TemplateException.INVALID_TEMPLATE);
            }
            certificate = new Template.CertificateResource(
                    logicalName,
                    exprs.parseScalar(properties.get("CertificateId"), at + ".CertificateId"),
                    optionalScalar(properties, "Status", at),
                    OverrideSettings.forCertificate(overrides, where + ".OverrideSettings"));
        }

        private void addPolicy(String logicalName, JsonNode properties, JsonNode overrides, String where) {
            if (overrides != null) {
                throw TemplateException.invalidTemplate(where + ": OverrideSettings are not available for " + POLICY);
            }
            String at = where + ".Properties";
            checkKeys(properties, POLICY_PROPERTIES, at + " property");
            if (properties.has("PolicyName") == properties.has("PolicyDocument")) {
                throw TemplateException.invalidTemplate(at + " must have exactly one of PolicyName and PolicyDocument");
            }
            if (properties.has("PolicyName")) {
                policies.add(new Template.PolicyResource(
                        logicalName, exprs.parseScalar(properties.get("PolicyName"), at + ".PolicyName"), null));
                return;
            }
            JsonNode document = properties.get("PolicyDocument");
            String documentWhere = at + ".PolicyDocument";
            if (document.isTextual()) {
                PolicyDocuments.parse(document.asText(), documentWhere); // refuse a broken string early
            } else if (!document.isObject()) {
                throw TemplateException.invalidTemplate(documentWhere + " must be a JSON object or a JSON string");
            }
            policies.add(new Template.PolicyResource(logicalName, null, exprs.parse(document, documentWhere)));
        }

        private Expr optionalScalar(JsonNode properties, String name, String at) {
            return properties.has(name) ? exprs.parseScalar(properties.get(name), at + "." + name) : null;
        }
    }

    /** Upper-cases a certificate status; AWS's own examples write "Active", so case is not significant. */
    static String checkStatus(String status, String where, String errorCode) {
        String normalised = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(normalised)) {
            throw new TemplateException(errorCode, where + " must be ACTIVE or INACTIVE, got '" + status + "'");
        }
        return normalised;
    }

    private static void checkKeys(JsonNode object, Set<String> allowed, String what) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw TemplateException.invalidTemplate("Unsupported " + what + " '" + name + "'");
            }
        }
    }

    /** Reads OverrideSettings, which take only literal action names. */
    private static final class OverrideSettings {

        private static final Map<String, ThingProperty> THING_KEYS = Map.of(
                "AttributePayload", ThingProperty.ATTRIBUTE_PAYLOAD,
                "ATTRIBUTE_PAYLOAD", ThingProperty.ATTRIBUTE_PAYLOAD,
                "ThingTypeName", ThingProperty.THING_TYPE_NAME,
                "THING_TYPE_NAME", ThingProperty.THING_TYPE_NAME,
                "ThingGroups", ThingProperty.THING_GROUPS,
                "THING_GROUPS", ThingProperty.THING_GROUPS,
                "BillingGroup", ThingProperty.BILLING_GROUP,
                "BILLING_GROUP", ThingProperty.BILLING_GROUP);
        private static final Set<ThingProperty> MERGEABLE =
                Set.of(ThingProperty.ATTRIBUTE_PAYLOAD, ThingProperty.THING_GROUPS);

        static Map<ThingProperty, OverrideAction> forThing(JsonNode settings, String where) {
            if (settings == null) {
                return Map.of();
            }
            Map<ThingProperty, OverrideAction> overrides = new EnumMap<>(ThingProperty.class);
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            settings.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String at = where + "." + entry.getKey();
                ThingProperty property = THING_KEYS.get(entry.getKey());
                if (property == null) {
                    throw TemplateException.invalidTemplate("Unsupported override setting '" + entry.getKey() + "' at "
                            + where + "; supported: AttributePayload, ThingTypeName, ThingGroups, BillingGroup");
                }
                OverrideAction action = action(entry.getValue(), at);
                if (action == OverrideAction.MERGE && !MERGEABLE.contains(property)) {
                    throw TemplateException.invalidTemplate(
                            at + ": MERGE is only allowed for AttributePayload and ThingGroups");
                }
                if (overrides.put(property, action) != null) {
                    throw TemplateException.invalidTemplate(at + ": " + property + " is set twice");
                }
            }
            return Collections.unmodifiableMap(overrides);
        }

        static OverrideAction forCertificate(JsonNode settings, String where) {
            if (settings == null) {
                return null;
            }
            checkKeys(settings, Set.of("Status"), "override setting at " + where);
            if (!settings.has("Status")) {
                return null;
            }
            OverrideAction action = action(settings.get("Status"), where + ".Status");
            if (action == OverrideAction.MERGE) {
                throw TemplateException.invalidTemplate(
                        where + ".Status: MERGE is only allowed for AttributePayload and ThingGroups");
            }
            return action;
        }

        private static OverrideAction action(JsonNode value, String where) {
            if (value.isTextual()) {
                for (OverrideAction action : OverrideAction.values()) {
                    if (action.name().equals(value.asText())) {
                        return action;
                    }
                }
            }
            throw TemplateException.invalidTemplate(
                    where + " must be one of DO_NOTHING, REPLACE, FAIL, MERGE, got " + value);
        }
    }
}
