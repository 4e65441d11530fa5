package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.policy.MalformedPolicyException;
import io.fleetprov.emulator.policy.PolicyDocument;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IoT policies, each kept parsed as well, so that the broker does not parse on every publish. Locking: see
 * {@link Registry}.
 */
public final class PolicyStore {

    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final Map<String, Policy> policies = new HashMap<>();
    private final Map<String, PolicyDocument> parsed = new HashMap<>();

    PolicyStore(Object monitor, Clock clock, Arns arns) {
        this.monitor = monitor;
        this.clock = clock;
        this.arns = arns;
    }

    public Policy create(String policyName, String policyDocument) {
        synchronized (monitor) {
            if (policyName == null || !POLICY_NAME.matcher(policyName).matches()) {
                throw RegistryException.invalid("Invalid policy name: " + policyName);
            }
            if (policies.containsKey(policyName)) {
                throw RegistryException.alreadyExists("Policy " + policyName + " already exists");
            }
            PolicyDocument document;
            try {
                document = PolicyDocument.parse(policyDocument);
            } catch (MalformedPolicyException e) {
                throw new RegistryException(ErrorType.MalformedPolicyException, e.getMessage());
            }
            var policy = new Policy(policyName, arns.policy(policyName), policyDocument, "1", clock.instant());
            policies.put(policyName, policy);
            parsed.put(policyName, document);
            return policy;
        }
    }

    public Optional<Policy> find(String policyName) {
        synchronized (monitor) {
            return Optional.ofNullable(policies.get(policyName));
        }
    }

    public Policy get(String policyName) {
        return find(policyName).orElseThrow(() -> RegistryException.notFound("Policy " + policyName + " not found"));
    }

    /** The parsed document of a policy. */
    Optional<PolicyDocument> document(String policyName) {
        synchronized (monitor) {
            return Optional.ofNullable(parsed.get(policyName));
        }
    }
}
