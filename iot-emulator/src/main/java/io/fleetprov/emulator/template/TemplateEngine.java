package io.fleetprov.emulator.template;

import java.util.Map;
import java.util.Objects;

/**
 * The provisioning-template language of AWS IoT fleet provisioning: Parameters, Mappings, Resources
 * (thing, certificate, policies), DeviceConfiguration, and the intrinsics Ref, Fn::Join, Fn::Select,
 * Fn::FindInMap, Fn::Split and Fn::Sub. Stateless and thread-safe; the template is re-read on each
 * call because bodies are small (at most 10240 characters) and callers keep them as strings.
 */
public final class TemplateEngine {

    public TemplateEngine() {}

    /**
     * Checks everything that does not depend on a device's parameters, so that CreateProvisioningTemplate
     * can refuse a broken template.
     *
     * @throws TemplateException with error code InvalidTemplate
     */
    public void validate(String templateBody) {
        TemplateParser.parse(templateBody);
    }

    /**
     * Evaluates the template for one RegisterThing.
     *
     * @param parameters the device's parameters with pre-provisioning hook overrides already merged;
     *     parameters the template does not declare are ignored
     * @param certificateId the certificate of the ownership token; fills AWS::IoT::Certificate::Id
     * @throws TemplateException InvalidParameters for missing or unusable parameters, InvalidTemplate
     *     for a template that cannot be evaluated
     */
    public ProvisioningPlan evaluate(String templateBody, Map<String, String> parameters, String certificateId) {
        Objects.requireNonNull(certificateId, "certificateId");
        Template template = TemplateParser.parse(templateBody);
        return PlanEvaluator.evaluate(template, parameters == null ? Map.of() : parameters, certificateId);
    }
}
