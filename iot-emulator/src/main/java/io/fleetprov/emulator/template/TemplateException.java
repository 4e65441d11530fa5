package io.fleetprov.emulator.template;

/**
 * A template that cannot be accepted or evaluated. {@link #errorCode()} is the code RegisterThing and
 * CreateProvisioningTemplate report to their callers, so it must stay one of AWS's names.
 */
public class TemplateException extends RuntimeException {

    /** The device sent missing or unusable parameters; the template itself may be fine. */
    public static final String INVALID_PARAMETERS = "InvalidParameters";
    /** The template is malformed, or cannot be evaluated whatever the parameters. */
    public static final String INVALID_TEMPLATE = "InvalidTemplate";

    private final String errorCode;

    public TemplateException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    static TemplateException invalidTemplate(String message) {
        return new TemplateException(INVALID_TEMPLATE, message);
    }

    static TemplateException invalidParameters(String message) {
        return new TemplateException(INVALID_PARAMETERS, message);
    }

    public String errorCode() {
        return errorCode;
    }
}
