package io.fleetprov.emulator.registry;

/** Builds the ARNs AWS IoT gives its resources, for one region and account. */
public record Arns(String region, String accountId) {

    public String certificate(String certificateId) {
        return prefix() + "cert/" + certificateId;
    }

    public String thing(String thingName) {
        return prefix() + "thing/" + thingName;
    }

    public String thingType(String thingTypeName) {
        return prefix() + "thingtype/" + thingTypeName;
    }

    public String thingGroup(String thingGroupName) {
        return prefix() + "thinggroup/" + thingGroupName;
    }

    public String policy(String policyName) {
        return prefix() + "policy/" + policyName;
    }

    public String provisioningTemplate(String templateName) {
        return prefix() + "provisioningtemplate/" + templateName;
    }

    /** The certificate id of a certificate ARN, or null if the ARN names something else. */
    public static String certificateIdOf(String principalArn) {
        int i = principalArn == null ? -1 : principalArn.indexOf(":cert/");
        return i < 0 ? null : principalArn.substring(i + ":cert/".length());
    }

    private String prefix() {
        return "arn:aws:iot:" + region + ":" + accountId + ":";
    }
}
