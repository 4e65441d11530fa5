package io.fleetprov.emulator.registry;

import java.time.Instant;
import java.util.List;

/**
 * A fleet-provisioning template and its versions. {@code preProvisioningHook.targetArn} may be an {@code http(s)}
 * URL: the emulator POSTs the hook payload there instead of invoking a Lambda.
 */
public record ProvisioningTemplate(
        String templateName,
        String templateArn,
        String description,
        boolean enabled,
        String provisioningRoleArn,
        PreProvisioningHook preProvisioningHook,
        String type,
        List<Version> versions,
        int defaultVersionId,
        Instant creationDate,
        Instant lastModifiedDate) {

    public ProvisioningTemplate {
        versions = List.copyOf(versions);
    }

    public record PreProvisioningHook(String targetArn, String payloadVersion) {}

    public record Version(int versionId, String templateBody, Instant creationDate) {}

    /** This template with another list of versions and default, modified at {@code modified}. */
    public ProvisioningTemplate withVersions(List<Version> versions, int defaultVersionId, Instant modified) {
        return new ProvisioningTemplate(
                templateName,
                templateArn,
                description,
                enabled,
                provisioningRoleArn,
                preProvisioningHook,
                type,
                versions,
                defaultVersionId,
                creationDate,
                modified);
    }

    public Version defaultVersion() {
        return version(defaultVersionId);
    }

    public Version version(int versionId) {
        return versions.stream()
                .filter(v -> v.versionId() == versionId)
                .findFirst()
                .orElseThrow(() -> RegistryException.notFound(
                        "Version " + versionId + " of provisioning template " + templateName + " not found"));
    }

    public String templateBody() {
        return defaultVersion().templateBody();
    }
}
