package io.fleetprov.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each documented setup must produce, beyond the rules every rendering keeps (RenderedChartTest). */
class ChartTest {

    private static final String PREFIX = Chart.RELEASE + "-fleetprov-";

    @Test
    void lintPassesWithTheDefaults() {
        LintResult lint = new Helm(Chart.DIR).lint().call();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]"));
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void awsProductionUsesIrsaCognitoAndTheExternalDatabase() {
        Rendered r = Chart.render("aws-production", Chart.example("aws-production.yaml"), Map.of());
        ServiceAccount claims = r.get(ServiceAccount.class, PREFIX + "claim-service");
        assertThat(claims.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/fleetprov-claim-service");
        Map<String, String> config =
                r.get(ConfigMap.class, PREFIX + "claim-service").getData();
        assertThat(config)
                .containsEntry(
                        "QUARKUS_OIDC_AUTH_SERVER_URL",
                        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123")
                .containsEntry(
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "jdbc:postgresql://fleetprov.cluster-abcdefghijkl.eu-west-1.rds.amazonaws.com:5432/claims?sslmode=verify-full")
                .containsEntry("FLEETPROV_MQTT_HOST", "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com")
                .containsEntry("FLEETPROV_CLAIMS_TEMPLATES_BY_GROUP_INSTALLER", "fleetprov-production")
                .doesNotContainKey("FLEETPROV_AWS_ENDPOINT_OVERRIDE");
        // The secrets live in a Secret the operator manages: the chart makes none.
        assertThat(r.all(Secret.class)).isEmpty();
        assertThat(r.all(StatefulSet.class)).isEmpty();
        assertThat(r.named(Deployment.class, PREFIX + "emulator")).isEmpty();
        Container claimService = r.get(Deployment.class, PREFIX + "claim-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(claimService.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("FLEETPROV_HOOK_SECRET");
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("fleetprov-secrets");
        });
        assertThat(r.get(Ingress.class, PREFIX + "claim-service")
                        .getSpec()
                        .getTls()
                        .get(0)
                        .getHosts())
                .containsExactly("claims.example.com");
        assertThat(r.objects()).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void stagingRunsTheEmulatorAndATrialDatabaseWiredToTheServices() {
        Rendered r = Chart.render("staging-emulator", Chart.example("staging-emulator.yaml"), Map.of());
        Deployment emulator = r.get(Deployment.class, PREFIX + "emulator");
        Container container =
                emulator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getPorts()).extracting(p -> p.getContainerPort()).containsExactlyInAnyOrder(8883, 4566);
        assertThat(container.getArgs())
                .contains(
                        "--data-dir=/data",
                        "--mqtt-port=8883",
                        "--http-port=4566",
                        "--seed=/etc/fleetprov/seed/seed.json",
                        "--advertised-host=" + PREFIX + "emulator",
                        "--host=" + PREFIX + "emulator",
                        "--hook-header=X-Fleetprov-Hook-Secret=$(HOOK_SECRET)");
        String seed = new String(
                Base64.getDecoder()
                        .decode(r.get(Secret.class, PREFIX + "emulator-seed")
                                .getData()
                                .get("seed.json")),
                StandardCharsets.UTF_8);
        assertThat(seed)
                .contains("\"targetArn\": \"http://" + PREFIX + "claim-service:8080/v1/hooks/pre-provisioning\"")
                .contains("\"id\": \"us-east-1_fleetprov\"");
        assertThat(r.get(ConfigMap.class, PREFIX + "claim-service").getData())
                .containsEntry(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "http://" + PREFIX + "emulator:4566/us-east-1_fleetprov");

        Map<String, String> config =
                r.get(ConfigMap.class, PREFIX + "audit-service").getData();
        assertThat(config)
                .containsEntry(
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "jdbc:postgresql://" + PREFIX + "postgresql:5432/audit?sslmode=disable")
                .containsEntry("FLEETPROV_MQTT_HOST", PREFIX + "emulator")
                .containsEntry("FLEETPROV_MQTT_PORT", "8883")
                .containsEntry("FLEETPROV_MQTT_CLIENT_ID", "audit-service")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "audit_app")
                .containsEntry("QUARKUS_FLYWAY_USERNAME", "audit")
                .containsEntry("QUARKUS_HTTP_PORT", "8080");
        Deployment audit = r.get(Deployment.class, PREFIX + "audit-service");
        assertThat(audit.getSpec().getReplicas()).isEqualTo(1);
        assertThat(audit.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(r.get(ConfigMap.class, PREFIX + "claim-service").getData())
                .containsEntry("FLEETPROV_AWS_ENDPOINT_OVERRIDE", "http://" + PREFIX + "emulator:4566");

        StatefulSet postgres = r.get(StatefulSet.class, PREFIX + "postgresql");
        assertThat(postgres.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsUser())
                .isEqualTo(999L);
        assertThat(r.all(NetworkPolicy.class))
                .extracting(n -> n.getMetadata().getName())
                .contains(
                        PREFIX + "postgresql", PREFIX + "emulator", PREFIX + "claim-service", PREFIX + "audit-service");

        // The secrets given on the command line end up in the chart's Secret, nowhere else (RenderedChartTest).
        Secret secret = r.get(Secret.class, PREFIX + "secrets");
        String hookSecret = new String(
                Base64.getDecoder().decode(secret.getData().get("hook-shared-secret")), StandardCharsets.UTF_8);
        assertThat(hookSecret).isEqualTo(Chart.TEST_SECRETS.get("secrets.hookSharedSecret"));
    }

    @Test
    void simulatorOnlyRendersJustTheShardedJob() {
        Rendered r = Chart.render("simulator-only", Chart.example("simulator-only.yaml"), Map.of());
        assertThat(r.all(Deployment.class)).isEmpty();
        assertThat(r.all(Pod.class)).as("no helm test pod without services").isEmpty();
        Job job = r.get(Job.class, PREFIX + "simulator");
        assertThat(job.getSpec().getCompletions()).isEqualTo(20);
        Container simulator =
                job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(simulator.getArgs())
                .contains(
                        "--shard-count=20",
                        "--devices=1000000",
                        "--out=/results/shard-$(JOB_COMPLETION_INDEX)",
                        "--claim-service-url=https://claims.example.com",
                        "--mqtt-endpoint=a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com:8883");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                        .isEqualTo(PREFIX + "simulator-results"));
        assertThat(simulator.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/results"));
    }

    @Test
    void theMergeJobReadsEveryShard() {
        Rendered r = Chart.render(
                "merge",
                Chart.example("simulator-only.yaml"),
                Map.of("simulator.shards", 3, "simulator.merge.enabled", true));
        Container merge = r.get(Job.class, PREFIX + "simulator-merge")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(merge.getArgs())
                .containsExactly(
                        "merge", "/results/shard-0", "/results/shard-1", "/results/shard-2", "--out=/results/merged");
    }

    @Test
    void theHelmTestPodAsksEachServiceForReadiness() {
        Rendered r = Chart.render("defaults", null, Map.of());
        Pod test = r.get(Pod.class, PREFIX + "test-health");
        assertThat(test.getMetadata().getAnnotations()).containsEntry(Chart.HOOK_MARKER, "test");
        String script = String.join("\n", test.getSpec().getContainers().get(0).getArgs());
        assertThat(script)
                .contains("http://" + PREFIX + "claim-service:8080/q/health/ready")
                .contains("http://" + PREFIX + "audit-service:8080/q/health/ready");
    }

    @Test
    void claimServiceSignsEventsWithTheSecretsKeyAndAuditTrustsItsPublicKey() {
        String publicKey = "-----BEGIN PUBLIC KEY----- MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE -----END PUBLIC KEY-----";
        Rendered r = Chart.render(
                "signed-events",
                Chart.example("staging-emulator.yaml"),
                Map.of("events.publicKey", publicKey, "events.kid", "claims-2026"));

        assertThat(r.get(ConfigMap.class, PREFIX + "claim-service").getData())
                .containsEntry("FLEETPROV_EVENTS_KID", "claims-2026")
                .containsEntry(
                        "FLEETPROV_EVENTS_SIGNING_KEY_FILE", "/etc/fleetprov/event-signing/event-signing-key.pem");
        var claimPod = r.get(Deployment.class, PREFIX + "claim-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        var signing = volume(claimPod, "event-signing").getSecret();
        assertThat(signing.getSecretName()).isEqualTo(PREFIX + "secrets");
        assertThat(signing.getOptional()).isFalse();
        assertThat(signing.getDefaultMode()).isEqualTo(0400);
        assertThat(signing.getItems())
                .singleElement()
                .satisfies(item -> assertThat(item.getKey()).isEqualTo("event-signing-key"));
        assertThat(mount(claimPod, "event-signing").getMountPath()).isEqualTo("/etc/fleetprov/event-signing");
        Secret secrets = r.get(Secret.class, PREFIX + "secrets");
        assertThat(secrets.getData()).containsKey("event-signing-key");
        // audit-service never sees the private key: only the public one, in its trust directory.
        var auditPod = r.get(Deployment.class, PREFIX + "audit-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(auditPod.getVolumes())
                .noneMatch(v -> v.getSecret() != null
                        && v.getSecret().getItems() != null
                        && v.getSecret().getItems().stream()
                                .anyMatch(i -> i.getKey().equals("event-signing-key")));
        assertThat(r.get(ConfigMap.class, PREFIX + "audit-service").getData())
                .containsEntry("AUDIT_EVENTS_TRUST_DIRECTORY", "/etc/fleetprov/event-keys");
        assertThat(volume(auditPod, "event-keys").getConfigMap().getName())
                .isEqualTo(PREFIX + "audit-service-event-keys");
        assertThat(r.get(ConfigMap.class, PREFIX + "audit-service-event-keys").getData())
                .containsExactly(Map.entry("claims-2026.pem", publicKey));
    }

    @Test
    void auditCheckpointsGoToAKeptVolumeSignedWithTheSecretsKey() {
        Rendered r = Chart.render("checkpoints", Chart.example("staging-emulator.yaml"), Map.of());
        assertThat(r.get(ConfigMap.class, PREFIX + "audit-service").getData())
                .containsEntry("AUDIT_CHECKPOINT_DIRECTORY", "/var/lib/audit-checkpoints")
                .containsEntry(
                        "AUDIT_CHECKPOINT_SIGNING_KEY_FILE", "/etc/fleetprov/checkpoint/checkpoint-signing-key.pem")
                .containsEntry("AUDIT_CHECKPOINT_EVERY_EVENTS", "1000")
                .containsEntry("AUDIT_CHECKPOINT_EVERY", "PT5M");
        var pod = r.get(Deployment.class, PREFIX + "audit-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(volume(pod, "checkpoints").getPersistentVolumeClaim().getClaimName())
                .isEqualTo(PREFIX + "audit-service-checkpoints");
        PersistentVolumeClaim claim = r.get(PersistentVolumeClaim.class, PREFIX + "audit-service-checkpoints");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(mount(pod, "checkpoints").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        var key = volume(pod, "checkpoint-signing").getSecret();
        assertThat(key.getOptional()).isFalse();
        assertThat(key.getDefaultMode()).isEqualTo(0400);
        assertThat(key.getItems())
                .singleElement()
                .satisfies(item -> assertThat(item.getKey()).isEqualTo("audit-checkpoint-signing-key"));
        assertThat(r.get(Secret.class, PREFIX + "secrets").getData()).containsKey("audit-checkpoint-signing-key");

        // A trial without a volume: an emptyDir; without checkpoints: none of it.
        Rendered ephemeral = Chart.render(
                "checkpoints-emptydir",
                Chart.example("staging-emulator.yaml"),
                Map.of("auditService.checkpoint.persistence.enabled", "false"));
        var ephemeralPod = ephemeral
                .get(Deployment.class, PREFIX + "audit-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(volume(ephemeralPod, "checkpoints").getEmptyDir()).isNotNull();
        assertThat(ephemeral.named(PersistentVolumeClaim.class, PREFIX + "audit-service-checkpoints"))
                .isEmpty();
        Rendered off = Chart.render(
                "checkpoints-off",
                Chart.example("staging-emulator.yaml"),
                Map.of("auditService.checkpoint.enabled", "false"));
        assertThat(off.get(ConfigMap.class, PREFIX + "audit-service").getData())
                .doesNotContainKey("AUDIT_CHECKPOINT_DIRECTORY");
    }

    @Test
    void theEmulatorsSeedIsReadableByItsOwnerOnly() {
        Rendered r = Chart.render("seed-mode", Chart.example("staging-emulator.yaml"), Map.of());
        var pod = r.get(Deployment.class, PREFIX + "emulator")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(volume(pod, "seed").getSecret().getDefaultMode()).isEqualTo(0400);
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static VolumeMount mount(PodSpec pod, String name) {
        return pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume mount " + name));
    }

    @Test
    void notesNameWhatIsMissingFromTheDefaultsAndNothingForProduction() {
        assertThat(Chart.notes(null))
                .contains(
                        "NOT READY",
                        "oidc.authServerUrl",
                        "postgresql.host",
                        "iot.endpoint",
                        "oidc.clientId",
                        "WARNING: audit-service trusts no event signer",
                        "events.publicKey");
        assertThat(Chart.notes(Chart.example("aws-production.yaml")))
                .doesNotContain("NOT READY", "WARNING")
                .contains("https://claims.example.com/v1/claims");
    }

    private static final String ACCESS_KEY_SECRET = PREFIX + "emulator-access-key";

    @Test
    void theEmulatorRunsStrictSigV4AndEveryClientInTheReleaseSigns() {
        Rendered r = Chart.render(
                "strict-sigv4",
                Chart.example("staging-emulator.yaml"),
                Map.of("simulator.enabled", true, "simulator.claimSource", "direct"));

        Map<String, String> key = r.get(Secret.class, ACCESS_KEY_SECRET).getData();
        assertThat(key).containsOnlyKeys("access-key-id", "secret-access-key");
        String id = decode(key.get("access-key-id"));
        String secret = decode(key.get("secret-access-key"));
        assertThat(id).matches("AKIA[A-Z0-9]{16}");
        assertThat(secret).matches("[A-Za-z0-9]{40}");

        Container emulator = r.get(Deployment.class, PREFIX + "emulator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(emulator.getArgs()).contains("--access-key=$(EMULATOR_ACCESS_KEY_ID)=$(EMULATOR_SECRET_ACCESS_KEY)");
        assertSignsWithTheAccessKey(
                emulator, "EMULATOR_ACCESS_KEY_ID", "EMULATOR_SECRET_ACCESS_KEY", ACCESS_KEY_SECRET);

        Container claimService = r.get(Deployment.class, PREFIX + "claim-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertSignsWithTheAccessKey(claimService, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", ACCESS_KEY_SECRET);
        PodSpec identities = r.get(Job.class, PREFIX + "identities-1")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertSignsWithTheAccessKey(
                identities.getInitContainers().get(0), "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", ACCESS_KEY_SECRET);
        Container simulator = r.get(Job.class, PREFIX + "simulator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertSignsWithTheAccessKey(simulator, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", ACCESS_KEY_SECRET);
        // Only the emulator's clients get the key: not audit-service, nor the Job's kubectl step.
        Container audit = r.get(Deployment.class, PREFIX + "audit-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(audit.getEnv()).noneMatch(e -> e.getName().startsWith("AWS_"));
        assertThat(identities.getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().startsWith("AWS_"));

        // The generated key reaches the pods only through secretKeyRef: in clear it appears nowhere.
        assertThat(readRendered("strict-sigv4")).doesNotContain(id, secret);
    }

    @Test
    void theHookSecretGoesOnlyToTheReleasesHookUrl() {
        Rendered r = Chart.render("hook-scope", Chart.example("staging-emulator.yaml"), Map.of());
        String hookUrl = "http://" + PREFIX + "claim-service:8080/v1/hooks/pre-provisioning";
        Container emulator = r.get(Deployment.class, PREFIX + "emulator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(emulator.getArgs())
                .contains("--hook-header=X-Fleetprov-Hook-Secret=$(HOOK_SECRET)", "--hook-header-url=" + hookUrl);
        String seed =
                decode(r.get(Secret.class, PREFIX + "emulator-seed").getData().get("seed.json"));
        // The seeded template's hook is the URL the secret is scoped to (one definition in the chart).
        assertThat(seed).contains("\"targetArn\": \"" + hookUrl + "\"");
    }

    @Test
    void anExistingAccessKeySecretReplacesTheGeneratedOneAndAwsGetsNoStaticKey() {
        Rendered mine = Chart.render(
                "access-key-mine",
                Chart.example("staging-emulator.yaml"),
                Map.of("emulator.accessKey.existingSecret", "my-emulator-key"));
        assertThat(mine.named(Secret.class, ACCESS_KEY_SECRET)).isEmpty();
        Container claimService = mine.get(Deployment.class, PREFIX + "claim-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertSignsWithTheAccessKey(claimService, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "my-emulator-key");

        // On AWS, claim-service takes its role through IRSA: no static key.
        Rendered aws = Chart.render("aws-no-static-key", Chart.example("aws-production.yaml"), Map.of());
        assertThat(aws.get(Deployment.class, PREFIX + "claim-service")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .noneMatch(e ->
                        e.getName().startsWith("AWS_ACCESS_KEY") || e.getName().startsWith("AWS_SECRET"));
    }

    private static void assertSignsWithTheAccessKey(Container container, String idEnv, String secretEnv, String from) {
        assertThat(container.getEnv())
                .as(container.getName())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo(idEnv);
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(from);
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("access-key-id");
                })
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo(secretEnv);
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(from);
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret-access-key");
                });
    }

    private static String readRendered(String name) {
        try {
            return Files.readString(Path.of("target", "rendered", name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
