package io.fleetprov.emulator.registry;

import io.fleetprov.emulator.template.TemplateEngine;
import io.fleetprov.emulator.template.TemplateException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fleet-provisioning templates and their versions. Locking: see {@link Registry}. */
public final class ProvisioningTemplateStore {

    /** AWS allows five versions per template (commonly quoted; UNCONFIRMED in the reference). */
    public static final int MAX_VERSIONS = 5;

    private final Object monitor;
    private final Clock clock;
    private final Arns arns;
    private final TemplateEngine templateEngine;
    private final Map<String, ProvisioningTemplate> templates = new HashMap<>();

    ProvisioningTemplateStore(Object monitor, Clock clock, Arns arns, TemplateEngine templateEngine) {
        this.monitor = monitor;
        this.clock = clock;
        this.arns = arns;
        this.templateEngine = templateEngine;
    }

    public ProvisioningTemplate create(
            String name,
            String description,
            String templateBody,
            boolean enabled,
            String provisioningRoleArn,
            ProvisioningTemplate.PreProvisioningHook hook,
            String type) {
        synchronized (monitor) {
            if (name == null || !name.matches("[0-9A-Za-z_-]{1,36}")) {
                throw RegistryException.invalid("Invalid template name: " + name);
            }
            if (templates.containsKey(name)) {
                throw RegistryException.alreadyExists("Provisioning template " + name + " already exists");
            }
            if (provisioningRoleArn == null || provisioningRoleArn.isBlank()) {
                throw RegistryException.invalid("provisioningRoleArn is required");
            }
            String templateType = type == null ? "FLEET_PROVISIONING" : type;
            if (!templateType.equals("FLEET_PROVISIONING") && !templateType.equals("JITP")) {
                throw RegistryException.invalid("Invalid template type: " + type);
            }
            if (hook != null && templateType.equals("JITP")) {
                throw RegistryException.invalid("A pre-provisioning hook is supported only for FLEET_PROVISIONING");
            }
            validateTemplateBody(templateBody);
            Instant now = clock.instant();
            var template = new ProvisioningTemplate(
                    name,
                    arns.provisioningTemplate(name),
                    description,
                    enabled,
                    provisioningRoleArn,
                    hook,
                    templateType,
                    List.of(new ProvisioningTemplate.Version(1, templateBody, now)),
                    1,
                    now,
                    now);
            templates.put(name, template);
            return template;
        }
    }

    public Optional<ProvisioningTemplate> find(String name) {
        synchronized (monitor) {
            return Optional.ofNullable(templates.get(name));
        }
    }

    public ProvisioningTemplate get(String name) {
        return find(name).orElseThrow(() -> RegistryException.notFound("Provisioning template " + name + " not found"));
    }

    public List<ProvisioningTemplate> list() {
        synchronized (monitor) {
            return templates.values().stream()
                    .sorted(Comparator.comparing(ProvisioningTemplate::templateName))
                    .toList();
        }
    }

    /** Null arguments leave a field as it is. */
    public ProvisioningTemplate update(
            String name,
            String description,
            Boolean enabled,
            Integer defaultVersionId,
            String provisioningRoleArn,
            ProvisioningTemplate.PreProvisioningHook hook,
            boolean removeHook) {
        synchronized (monitor) {
            ProvisioningTemplate t = get(name);
            if (defaultVersionId != null) {
                t.version(defaultVersionId);
            }
            ProvisioningTemplate.PreProvisioningHook newHook =
                    removeHook ? null : hook != null ? hook : t.preProvisioningHook();
            var updated = new ProvisioningTemplate(
                    name,
                    t.templateArn(),
                    description != null ? description : t.description(),
                    enabled != null ? enabled : t.enabled(),
                    provisioningRoleArn != null ? provisioningRoleArn : t.provisioningRoleArn(),
                    newHook,
                    t.type(),
                    t.versions(),
                    defaultVersionId != null ? defaultVersionId : t.defaultVersionId(),
                    t.creationDate(),
                    clock.instant());
            templates.put(name, updated);
            return updated;
        }
    }

    public void delete(String name) {
        synchronized (monitor) {
            get(name);
            templates.remove(name);
        }
    }

    public ProvisioningTemplate.Version createVersion(String name, String templateBody, boolean setAsDefault) {
        synchronized (monitor) {
            ProvisioningTemplate t = get(name);
            if (t.versions().size() >= MAX_VERSIONS) {
                throw new RegistryException(
                        ErrorType.VersionsLimitExceededException,
                        "Provisioning template " + name + " already has " + MAX_VERSIONS + " versions");
            }
            validateTemplateBody(templateBody);
            int next = t.versions().stream()
                            .mapToInt(ProvisioningTemplate.Version::versionId)
                            .max()
                            .orElse(0)
                    + 1;
            Instant now = clock.instant();
            var version = new ProvisioningTemplate.Version(next, templateBody, now);
            List<ProvisioningTemplate.Version> versions = new ArrayList<>(t.versions());
            versions.add(version);
            templates.put(name, t.withVersions(versions, setAsDefault ? next : t.defaultVersionId(), now));
            return version;
        }
    }

    public void deleteVersion(String name, int versionId) {
        synchronized (monitor) {
            ProvisioningTemplate t = get(name);
            t.version(versionId);
            if (versionId == t.defaultVersionId()) {
                throw new RegistryException(
                        ErrorType.DeleteConflictException,
                        "Cannot delete the default version of provisioning template " + name);
            }
            List<ProvisioningTemplate.Version> versions = t.versions().stream()
                    .filter(v -> v.versionId() != versionId)
                    .toList();
            templates.put(name, t.withVersions(versions, t.defaultVersionId(), clock.instant()));
        }
    }

    private void validateTemplateBody(String templateBody) {
        if (templateBody == null) {
            throw RegistryException.invalid("templateBody is required");
        }
        try {
            templateEngine.validate(templateBody);
        } catch (TemplateException e) {
            throw RegistryException.invalid("Invalid template body: " + e.getMessage());
        }
    }
}
