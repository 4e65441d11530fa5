package io.fleetprov.emulator.policy;

import java.util.Collection;

/** Decides whether a connection may perform one IoT data-plane action, the way AWS IoT evaluates attached policies. */
public final class PolicyEvaluator {

    private PolicyEvaluator() {}

    /**
     * Default deny; an explicit Deny in any document wins over any Allow. resourceName is the part after the ARN's
     * resource type: the client id for CONNECT, the topic for PUBLISH and RECEIVE, the topic filter for SUBSCRIBE.
     */
    public static boolean isAllowed(
            Collection<PolicyDocument> policies, IotAction action, String resourceName, ConnectionContext context) {
        String arn = resourceArn(action, resourceName, context);
        boolean allowed = false;
        for (PolicyDocument policy : policies) {
            for (PolicyStatement statement : policy.statements()) {
                // Once allowed, only a Deny can change the answer, so further Allows need not be matched.
                if (allowed && !statement.isDeny()) {
                    continue;
                }
                if (statement.appliesTo(action, arn, context)) {
                    if (statement.isDeny()) {
                        return false;
                    }
                    allowed = true;
                }
            }
        }
        return allowed;
    }

    /** The ARN a check is made against, e.g. {@code arn:aws:iot:us-east-1:123456789012:topic/a/b}. */
    public static String resourceArn(IotAction action, String resourceName, ConnectionContext context) {
        return "arn:aws:iot:" + context.region() + ":" + context.accountId() + ":" + action.resourceType() + "/"
                + resourceName;
    }
}
