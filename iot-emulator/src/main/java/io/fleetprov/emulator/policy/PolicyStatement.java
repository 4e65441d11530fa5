package io.fleetprov.emulator.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One compiled statement. Action matching is fully decided at parse time (there are only four IoT data-plane
 * actions), so a check only costs the resource match and, if present, the condition.
 */
final class PolicyStatement {

    private final boolean deny;
    private final Set<IotAction> actions;
    private final List<PolicyPattern> resources;
    private final boolean notResource;
    private final PolicyCondition condition;

    PolicyStatement(
            boolean deny,
            List<String> actionPatterns,
            boolean notAction,
            List<String> resourcePatterns,
            boolean notResource,
            PolicyCondition condition) {
        this.deny = deny;
        this.actions = Collections.unmodifiableSet(matchingActions(actionPatterns, notAction));
        this.resources = resourcePatterns.stream()
                .map(r -> PolicyPattern.compile(r, true))
                .toList();
        this.notResource = notResource;
        this.condition = condition;
    }

    boolean isDeny() {
        return deny;
    }

    boolean appliesTo(IotAction action, String resourceArn, ConnectionContext context) {
        return actions.contains(action) && resourceApplies(resourceArn, context) && condition.holds(context);
    }

    private boolean resourceApplies(String resourceArn, ConnectionContext context) {
        for (PolicyPattern resource : resources) {
            int[] resolved = resource.resolve(context);
            if (resolved == null) {
                // Resource: this entry matches nothing. NotResource: an exclusion we cannot compute must not
                // silently widen the statement, so IAM's "the statement is invalid" applies.
                if (notResource) {
                    return false;
                }
                continue;
            }
            if (PolicyPattern.matches(resolved, resourceArn)) {
                return !notResource;
            }
        }
        return notResource;
    }

    /** IAM action names are case-insensitive; actions of other services simply match none of ours. */
    private static EnumSet<IotAction> matchingActions(List<String> patterns, boolean notAction) {
        EnumSet<IotAction> matched = EnumSet.noneOf(IotAction.class);
        for (String pattern : patterns) {
            int[] compiled = pattern.toLowerCase(Locale.ROOT)
                    .chars()
                    .map(c -> c == '*' ? PolicyPattern.ANY_SEQUENCE : c == '?' ? PolicyPattern.ANY_CHAR : c)
                    .toArray();
            for (IotAction action : IotAction.values()) {
                if (PolicyPattern.matches(compiled, action.actionName().toLowerCase(Locale.ROOT))) {
                    matched.add(action);
                }
            }
        }
        return notAction ? EnumSet.complementOf(matched) : matched;
    }
}
