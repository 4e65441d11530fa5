package io.fleetprov.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against the in-cluster emulator, the chart hands out the services' MQTT identities itself: a Job mints them through
 * the emulator's admin API and writes them, with the emulator's CA, where the services look; its Role allows exactly
 * those objects.
 */
class EmulatorIdentitiesTest {

    private static final String PREFIX = Chart.RELEASE + "-fleetprov-";
    private static final String JOB = PREFIX + "identities-1";
    private static final String CLAIM_SECRET = PREFIX + "claim-service-mqtt";
    private static final String AUDIT_SECRET = PREFIX + "audit-service-mqtt";
    private static final String EMULATOR_CA = PREFIX + "emulator-ca";

    private static Rendered staging(String name, Map<String, Object> sets) {
        return Chart.render(name, Chart.example("staging-emulator.yaml"), sets);
    }

    @Test
    void theJobComesOnlyWithTheEmulator() {
        for (String example : List.of("aws-production.yaml", "simulator-only.yaml")) {
            assertNoIdentities(
                    Chart.render("no-identities-" + example.replace(".yaml", ""), Chart.example(example), Map.of()));
        }
        assertNoIdentities(Chart.render("no-identities-defaults", null, Map.of()));
        Rendered staging = staging("identities", Map.of());
        assertThat(staging.all(Job.class))
                .extracting(j -> j.getMetadata().getName())
                .containsExactly(JOB);
        assertThat(staging.get(Job.class, JOB).getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/component", "identities");
    }

    @Test
    void itsRoleNamesExactlyWhatTheServicesMount() {
        Rendered r = staging("identities", Map.of());
        Role role = r.get(Role.class, PREFIX + "identities");
        assertThat(rule(role, "secrets").getResourceNames()).containsExactlyInAnyOrder(CLAIM_SECRET, AUDIT_SECRET);
        assertThat(rule(role, "configmaps").getResourceNames()).containsExactly(EMULATOR_CA);
        assertThat(rule(role, "deployments").getResourceNames()).containsExactly(PREFIX + "emulator");
        assertThat(rule(role, "deployments").getVerbs()).containsExactly("get");
        assertThat(role.getRules())
                .allSatisfy(rule -> assertThat(rule.getVerbs()).isSubsetOf("get", "create", "patch"));

        // What the Role allows is what the services' pods wait for.
        for (String service : List.of("claim-service", "audit-service")) {
            PodSpec pod = r.get(Deployment.class, PREFIX + service)
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            Volume client = volume(pod, "mqtt-client");
            assertThat(rule(role, "secrets").getResourceNames())
                    .contains(client.getSecret().getSecretName());
            assertThat(client.getSecret().getOptional())
                    .as(service + " waits for its Secret")
                    .isFalse();
            Volume ca = volume(pod, "mqtt-ca");
            assertThat(ca.getConfigMap().getName()).isEqualTo(EMULATOR_CA);
            assertThat(ca.getConfigMap().getOptional())
                    .as(service + " waits for the CA")
                    .isFalse();
        }
        assertThat(r.named(ConfigMap.class, EMULATOR_CA))
                .as("the Job makes the CA ConfigMap, not Helm")
                .isEmpty();

        RoleBinding binding = r.get(RoleBinding.class, PREFIX + "identities");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(PREFIX + "identities");
            assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
        assertThat(r.get(Job.class, JOB).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(PREFIX + "identities");
    }

    @Test
    void onlyTheKubectlContainerGetsTheApiToken() {
        Rendered r = staging("identities", Map.of());
        assertThat(r.get(ServiceAccount.class, PREFIX + "identities").getAutomountServiceAccountToken())
                .isFalse();
        PodSpec pod = r.get(Job.class, JOB).getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(volume(pod, "kube-api-access").getProjected().getSources())
                .anySatisfy(
                        source -> assertThat(source.getServiceAccountToken()).isNotNull());
        assertThat(mountsOf(pod.getInitContainers().get(0)))
                .doesNotContain("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(mountsOf(pod.getContainers().get(0))).contains("/var/run/secrets/kubernetes.io/serviceaccount");
    }

    @Test
    void theMintStepRunsTheEmulatorsIdentityCommandNextToTheEmulator() {
        Rendered r = staging("identities", Map.of());
        PodSpec pod = r.get(Job.class, JOB).getSpec().getTemplate().getSpec();
        Container mint = pod.getInitContainers().get(0);
        Container emulator = r.get(Deployment.class, PREFIX + "emulator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(mint.getImage()).isEqualTo(emulator.getImage());
        String script = mint.getArgs().get(0);
        assertThat(script)
                .contains("io.fleetprov.emulator.cli.EmulatorCommand --data-dir=/data identity")
                .contains("for service in audit-service claim-service ");
        // The emulator's volume, read-only, on the emulator's node (the volume is ReadWriteOnce).
        assertThat(volume(pod, "data").getPersistentVolumeClaim().getClaimName())
                .isEqualTo(PREFIX + "emulator-data");
        assertThat(volume(pod, "data").getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(mint.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/data");
            assertThat(m.getReadOnly()).isTrue();
        });
        var affinity = pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(affinity).singleElement().satisfies(term -> {
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", "emulator");
        });
        // The private keys pass through memory only.
        assertThat(volume(pod, "work").getEmptyDir().getMedium()).isEqualTo("Memory");

        Container store = pod.getContainers().get(0);
        assertThat(store.getImage()).startsWith("registry.k8s.io/kubectl:");
        assertThat(store.getArgs().get(0))
                .contains("create secret generic \"" + CLAIM_SECRET + "\" --type=kubernetes.io/tls")
                .contains("create secret generic \"" + AUDIT_SECRET + "\" --type=kubernetes.io/tls")
                .contains("create configmap \"" + EMULATOR_CA + "\"")
                .contains("apply --server-side");
    }

    @Test
    void whatYouNameYourselfIsLeftToYou() {
        Rendered r =
                staging("identities-partly-yours", Map.of("claimService.mqtt.existingSecret", "my-claim-identity"));
        Role role = r.get(Role.class, PREFIX + "identities");
        assertThat(rule(role, "secrets").getResourceNames()).containsExactly(AUDIT_SECRET);
        Job job = r.get(Job.class, JOB);
        assertThat(job.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getInitContainers()
                        .get(0)
                        .getArgs()
                        .get(0))
                .contains("for service in audit-service ;")
                .doesNotContain("claim-service");

        Rendered yours = staging(
                "identities-all-yours",
                Map.of(
                        "claimService.mqtt.existingSecret",
                        "my-claim-identity",
                        "auditService.mqtt.existingSecret",
                        "my-audit-identity",
                        "iot.ca.existingConfigMap",
                        "my-ca"));
        assertNoIdentities(yours);
        assertThat(volume(
                                yours.get(Deployment.class, PREFIX + "claim-service")
                                        .getSpec()
                                        .getTemplate()
                                        .getSpec(),
                                "mqtt-ca")
                        .getConfigMap()
                        .getName())
                .isEqualTo("my-ca");
    }

    @Test
    void offWhenDisabledOrWhenTheServicesUseAnotherBroker() {
        Rendered disabled = staging("identities-off", Map.of("emulator.identities.enabled", false));
        assertNoIdentities(disabled);
        assertThat(volume(
                                disabled.get(Deployment.class, PREFIX + "claim-service")
                                        .getSpec()
                                        .getTemplate()
                                        .getSpec(),
                                "mqtt-ca")
                        .getConfigMap()
                        .getName())
                .isEqualTo(PREFIX + "mqtt-ca");
        assertNoIdentities(
                staging("identities-other-broker", Map.of("iot.endpoint", "a1b2c3-ats.iot.eu-west-1.amazonaws.com")));
    }

    @Test
    void needsTheEmulatorsVolume() {
        assertThatThrownBy(() -> staging("identities-no-volume", Map.of("emulator.persistence.enabled", false)))
                .hasMessageContaining("emulator.identities.enabled needs emulator.persistence.enabled");
        assertNoIdentities(staging(
                "identities-no-volume-off",
                Map.of("emulator.persistence.enabled", false, "emulator.identities.enabled", false)));
    }

    @Test
    void theEmulatorAdvertisesItsServiceAndTheIssuerFollows() {
        Rendered r = staging("identities", Map.of());
        assertThat(emulatorArgs(r)).contains("--advertised-host=" + PREFIX + "emulator");
        assertThat(r.get(ConfigMap.class, PREFIX + "audit-service").getData())
                .containsEntry(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "http://" + PREFIX + "emulator:4566/us-east-1_fleetprov");

        Rendered named = staging("advertised-host", Map.of("emulator.advertisedHost", "emulator.staging.internal"));
        assertThat(emulatorArgs(named)).contains("--advertised-host=emulator.staging.internal");
        assertThat(named.get(ConfigMap.class, PREFIX + "claim-service").getData())
                .containsEntry(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "http://emulator.staging.internal:4566/us-east-1_fleetprov");

        Rendered given = staging("issuer-given", Map.of("oidc.authServerUrl", "https://issuer.example.com/pool"));
        assertThat(given.get(ConfigMap.class, PREFIX + "claim-service").getData())
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "https://issuer.example.com/pool");
    }

    @Test
    void notesNameTheJobAndNothingIsMissing() {
        String notes = Chart.notes(Chart.example("staging-emulator.yaml"));
        assertThat(notes)
                .doesNotContain("NOT READY")
                .contains("job/" + JOB)
                .contains(CLAIM_SECRET + " (made by the identities Job)")
                .contains("http://" + PREFIX + "emulator:4566/us-east-1_fleetprov");
    }

    private static void assertNoIdentities(Rendered rendered) {
        assertThat(rendered.all(Job.class))
                .noneMatch(j -> j.getMetadata().getName().startsWith(PREFIX + "identities"));
        assertThat(rendered.all(Role.class)).isEmpty();
        assertThat(rendered.all(RoleBinding.class)).isEmpty();
        assertThat(rendered.named(ServiceAccount.class, PREFIX + "identities")).isEmpty();
    }

    private static PolicyRule rule(Role role, String resource) {
        return role.getRules().stream()
                .filter(r -> r.getResources().contains(resource))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule for " + resource + " in " + role.getRules()));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in " + pod.getVolumes()));
    }

    private static List<String> mountsOf(Container container) {
        return container.getVolumeMounts().stream()
                .map(VolumeMount::getMountPath)
                .toList();
    }

    private static List<String> emulatorArgs(Rendered rendered) {
        return rendered.get(Deployment.class, PREFIX + "emulator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs();
    }
}
