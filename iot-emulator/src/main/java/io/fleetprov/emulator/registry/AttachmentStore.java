package io.fleetprov.emulator.registry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is attached to what: policies to targets (certificate ARNs), principals (certificate ARNs) to things. Only
 * {@link Registry} uses it, because attaching needs the other stores' checks. Locking: see {@link Registry}.
 */
final class AttachmentStore {

    private final Object monitor;
    /** target ARN → policy names */
    private final Map<String, Set<String>> policies = new HashMap<>();
    /** thing name → principal ARNs */
    private final Map<String, Set<String>> thingPrincipals = new HashMap<>();
    /**
     * principal ARN → thing names, the same attachments the other way round: removing an expired claim or asking
     * whether a certificate is attached scanned every thing, and both happen for each device provisioned.
     */
    private final Map<String, Set<String>> principalThings = new HashMap<>();

    AttachmentStore(Object monitor) {
        this.monitor = monitor;
    }

    void attachPolicy(String targetArn, String policyName) {
        synchronized (monitor) {
            policies.computeIfAbsent(targetArn, k -> new LinkedHashSet<>()).add(policyName);
        }
    }

    void detachPolicy(String targetArn, String policyName) {
        synchronized (monitor) {
            Set<String> attached = policies.get(targetArn);
            if (attached != null) {
                attached.remove(policyName);
            }
        }
    }

    /** In the order they were attached. */
    List<String> policyNames(String targetArn) {
        synchronized (monitor) {
            return List.copyOf(policies.getOrDefault(targetArn, Set.of()));
        }
    }

    boolean isPolicyAttached(String policyName) {
        synchronized (monitor) {
            return policies.values().stream().anyMatch(names -> names.contains(policyName));
        }
    }

    void attachPrincipal(String thingName, String principalArn) {
        synchronized (monitor) {
            thingPrincipals
                    .computeIfAbsent(thingName, k -> new LinkedHashSet<>())
                    .add(principalArn);
            principalThings.computeIfAbsent(principalArn, k -> new HashSet<>()).add(thingName);
        }
    }

    void detachPrincipal(String thingName, String principalArn) {
        synchronized (monitor) {
            remove(thingPrincipals, thingName, principalArn);
            remove(principalThings, principalArn, thingName);
        }
    }

    private static void remove(Map<String, Set<String>> index, String key, String value) {
        Set<String> values = index.get(key);
        if (values != null) {
            values.remove(value);
            if (values.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** In the order they were attached. */
    List<String> principals(String thingName) {
        synchronized (monitor) {
            return List.copyOf(thingPrincipals.getOrDefault(thingName, Set.of()));
        }
    }

    boolean isPrincipal(String thingName, String principalArn) {
        synchronized (monitor) {
            return thingPrincipals.getOrDefault(thingName, Set.of()).contains(principalArn);
        }
    }

    /** Sorted by name. */
    List<String> thingsOf(String principalArn) {
        synchronized (monitor) {
            return principalThings.getOrDefault(principalArn, Set.of()).stream()
                    .sorted()
                    .toList();
        }
    }

    /** Whether a thing or a policy is attached to the ARN. */
    boolean isAttached(String arn) {
        synchronized (monitor) {
            return principalThings.containsKey(arn)
                    || !policies.getOrDefault(arn, Set.of()).isEmpty();
        }
    }

    /** Forgets every attachment of a principal that no longer exists. */
    void removePrincipal(String arn) {
        synchronized (monitor) {
            policies.remove(arn);
            for (String thingName : principalThings.getOrDefault(arn, Set.of())) {
                remove(thingPrincipals, thingName, arn);
            }
            principalThings.remove(arn);
        }
    }

    /** Forgets the principals of a thing that no longer exists. */
    void removeThing(String thingName) {
        synchronized (monitor) {
            for (String principalArn : thingPrincipals.getOrDefault(thingName, Set.of())) {
                remove(principalThings, principalArn, thingName);
            }
            thingPrincipals.remove(thingName);
        }
    }
}
