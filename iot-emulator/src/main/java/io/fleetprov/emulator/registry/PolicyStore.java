package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.policy.MalformedPolicyException;
import io.fleetprov.emulator.policy.PolicyDocument;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IoT policies and their versions, each version kept parsed as well, so that the broker does not parse on every
 * publish; the broker judges by the default version. Deleting a policy that is attached is left to
 * {@link Registry}, which knows the attachments. Locking: see {@link Registry}.
 */
public final class PolicyStore {

    /** AWS keeps at most five versions of a policy; a sixth needs one deleted first. */
    public static final int MAX_VERSIONS = 5;

    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern VERSION_ID = Pattern.compile("[0-9]+");

    private record Version(String id, String document, PolicyDocument parsed, Instant createDate) {}

    private static final class Entry {
        final String name;
        final String arn;
        final Instant creationDate;
        /** In creation order, keyed by version id. */
        final Map<String, Version> versions = new LinkedHashMap<>();

        int lastVersion;
        String defaultVersion;
        Instant lastModifiedDate;

        Entry(String name, String arn, Instant creationDate) {
            this.name = name;
            this.arn = arn;
            this.creationDate = creationDate;
            this.lastModifiedDate = creationDate;
        }

        Version defaultVersion() {
            return versions.get(defaultVersion);
        }

        Policy view() {
            return new Policy(name, arn, defaultVersion().document(), defaultVersion, creationDate, lastModifiedDate);
        }
    }

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final Map<String, Entry> policies = new HashMap<>();

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
            PolicyDocument parsed = parse(policyDocument);
            Instant now = clock.instant();
            Entry entry = new Entry(policyName, arns.policy(policyName), now);
            addVersion(entry, policyDocument, parsed, now, true);
            policies.put(policyName, entry);
            return entry.view();
        }
    }

    public Optional<Policy> find(String policyName) {
        synchronized (monitor) {
            return Optional.ofNullable(policies.get(policyName)).map(Entry::view);
        }
    }

    public Policy get(String policyName) {
        synchronized (monitor) {
            return entry(policyName).view();
        }
    }

    /** Every policy, sorted by name (ListPolicies). */
    public List<Policy> list(boolean ascending) {
        Comparator<Policy> byName = Comparator.comparing(Policy::policyName);
        synchronized (monitor) {
            return policies.values().stream()
                    .map(Entry::view)
                    .sorted(ascending ? byName : byName.reversed())
                    .toList();
        }
    }

    /** CreatePolicyVersion: a sixth version is refused, as AWS does, rather than dropping the oldest. */
    public PolicyVersion createVersion(String policyName, String policyDocument, boolean setAsDefault) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            PolicyDocument parsed = parse(policyDocument);
            if (entry.versions.size() >= MAX_VERSIONS) {
                throw new RegistryException(
                        ErrorType.VersionsLimitExceededException,
                        "The policy " + policyName + " already has the maximum number of versions (" + MAX_VERSIONS
                                + ")");
            }
            Version version = addVersion(entry, policyDocument, parsed, clock.instant(), setAsDefault);
            return view(entry, version);
        }
    }

    /** In creation order, newest last. */
    public List<PolicyVersion> versions(String policyName) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            return entry.versions.values().stream().map(v -> view(entry, v)).toList();
        }
    }

    public PolicyVersion version(String policyName, String versionId) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            return view(entry, version(entry, versionId));
        }
    }

    public void setDefaultVersion(String policyName, String versionId) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            version(entry, versionId);
            entry.defaultVersion = versionId;
            entry.lastModifiedDate = clock.instant();
        }
    }

    /** The default version cannot be deleted: AWS wants the policy deleted instead. */
    public void deleteVersion(String policyName, String versionId) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            version(entry, versionId);
            if (versionId.equals(entry.defaultVersion)) {
                throw new RegistryException(
                        ErrorType.DeleteConflictException,
                        "Cannot delete the default version " + versionId + " of policy " + policyName);
            }
            entry.versions.remove(versionId);
        }
    }

    /**
     * DeletePolicy's own checks and removal: a policy with versions besides the default one is refused, as on AWS.
     * {@code attached} is decided by the caller, which knows the attachments.
     */
    void delete(String policyName, boolean attached) {
        synchronized (monitor) {
            Entry entry = entry(policyName);
            if (attached) {
                throw new RegistryException(
                        ErrorType.DeleteConflictException,
                        "The policy " + policyName + " is attached to one or more principals");
            }
            if (entry.versions.size() > 1) {
                throw new RegistryException(
                        ErrorType.DeleteConflictException,
                        "Cannot delete the policy " + policyName + " because it has non-default versions");
            }
            policies.remove(policyName);
        }
    }

    /** The parsed document of a policy's default version. */
    Optional<PolicyDocument> document(String policyName) {
        synchronized (monitor) {
            return Optional.ofNullable(policies.get(policyName))
                    .map(e -> e.defaultVersion().parsed());
        }
    }

    private Entry entry(String policyName) {
        Entry entry = policies.get(policyName);
        if (entry == null) {
            throw RegistryException.notFound("Policy " + policyName + " not found");
        }
        return entry;
    }

    private static Version version(Entry entry, String versionId) {
        if (versionId == null || !VERSION_ID.matcher(versionId).matches()) {
            throw RegistryException.invalid("Invalid policy version id: " + versionId);
        }
        Version version = entry.versions.get(versionId);
        if (version == null) {
            throw RegistryException.notFound("Version " + versionId + " of policy " + entry.name + " not found");
        }
        return version;
    }

    private static Version addVersion(
            Entry entry, String document, PolicyDocument parsed, Instant now, boolean setAsDefault) {
        entry.lastVersion++;
        Version version = new Version(Integer.toString(entry.lastVersion), document, parsed, now);
        entry.versions.put(version.id(), version);
        if (setAsDefault || entry.defaultVersion == null) {
            entry.defaultVersion = version.id();
        }
        entry.lastModifiedDate = now;
        return version;
    }

    private static PolicyVersion view(Entry entry, Version version) {
        return new PolicyVersion(
                version.id(), version.document(), version.id().equals(entry.defaultVersion), version.createDate());
    }

    private static PolicyDocument parse(String policyDocument) {
        try {
            return PolicyDocument.parse(policyDocument);
        } catch (MalformedPolicyException e) {
            throw new RegistryException(ErrorType.MalformedPolicyException, e.getMessage());
        }
    }
}
