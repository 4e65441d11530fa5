package io.fleetprov.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules every rendering must keep, checked on the defaults, each documented example and everything switched on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderedChartTest {

    /** Each case is rendered once; the rules below all run on the same objects. */
    private final Map<String, Rendered> renderings = Map.of(
            "defaults", Chart.render("defaults", null, Map.of()),
            "aws-production", Chart.render("aws-production", Chart.example("aws-production.yaml"), Map.of()),
            "staging-emulator", Chart.render("staging-emulator", Chart.example("staging-emulator.yaml"), Map.of()),
            "simulator-only", Chart.render("simulator-only", Chart.example("simulator-only.yaml"), Map.of()),
            // Every optional part on, so no template escapes the rules.
            "everything",
                    Chart.render(
                            "everything",
                            Chart.example("staging-emulator.yaml"),
                            Map.of(
                                    "simulator.enabled",
                                    true,
                                    "simulator.merge.enabled",
                                    true,
                                    "simulator.shards",
                                    3,
                                    "simulator.userPoolClientId",
                                    "client",
                                    "simulator.installerUsername",
                                    "installer",
                                    "metrics.serviceMonitor.enabled",
                                    true,
                                    "claimService.autoscaling.enabled",
                                    true)));

    Stream<Arguments> renderings() {
        return renderings.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyContainerHasRequestsAndLimits(String name, Rendered rendered) {
        assertThat(rendered.workloads()).isNotEmpty();
        for (Rendered.Workload workload : rendered.workloads()) {
            workload.containers().forEach(container -> {
                ResourceRequirements resources = container.getResources();
                String where = workload.name() + " container " + container.getName();
                assertThat(resources).as(where).isNotNull();
                for (Map<String, Quantity> bounds : List.of(resources.getRequests(), resources.getLimits())) {
                    assertThat(bounds).as(where + " requests and limits").containsKeys("cpu", "memory");
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyContainerRunsLockedDown(String name, Rendered rendered) {
        for (Rendered.Workload workload : rendered.workloads()) {
            PodSecurityContext pod = workload.pod().getSecurityContext();
            assertThat(pod).as(workload.name() + " pod securityContext").isNotNull();
            assertThat(pod.getSeccompProfile()).as(workload.name() + " seccomp").isNotNull();
            assertThat(pod.getSeccompProfile().getType()).as(workload.name()).isEqualTo("RuntimeDefault");
            workload.containers().forEach(container -> {
                String where = workload.name() + " container " + container.getName();
                SecurityContext sc = container.getSecurityContext();
                assertThat(sc).as(where + " securityContext").isNotNull();
                boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || (sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(pod.getRunAsNonRoot()));
                assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
                Long uid = Optional.ofNullable(sc.getRunAsUser()).orElse(pod.getRunAsUser());
                assertThat(uid).as(where + " runAsUser").isNotNull().isNotZero();
                assertThat(sc.getReadOnlyRootFilesystem())
                        .as(where + " readOnlyRootFilesystem")
                        .isTrue();
                assertThat(sc.getAllowPrivilegeEscalation())
                        .as(where + " allowPrivilegeEscalation")
                        .isFalse();
                assertThat(sc.getCapabilities()).as(where + " capabilities").isNotNull();
                assertThat(sc.getCapabilities().getDrop())
                        .as(where + " dropped capabilities")
                        .contains("ALL");
                assertThat(sc.getCapabilities().getAdd())
                        .as(where + " added capabilities")
                        .isNullOrEmpty();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void longRunningContainersHaveProbes(String name, Rendered rendered) {
        rendered.workloads().stream()
                .filter(Rendered.Workload::longRunning)
                .forEach(workload -> workload.pod().getContainers().forEach(container -> {
                    String where = workload.name() + " container " + container.getName();
                    assertThat(container.getLivenessProbe())
                            .as(where + " liveness probe")
                            .isNotNull();
                    assertThat(container.getReadinessProbe())
                            .as(where + " readiness probe")
                            .isNotNull();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void quarkusServicesProbeTheirHealthEndpoints(String name, Rendered rendered) {
        rendered.workloads().stream()
                .flatMap(w -> w.pod().getContainers().stream())
                .filter(c -> c.getName().endsWith("-service"))
                .forEach(c -> {
                    assertThat(c.getLivenessProbe().getHttpGet().getPath())
                            .as(c.getName())
                            .isEqualTo("/q/health/live");
                    assertThat(c.getReadinessProbe().getHttpGet().getPath())
                            .as(c.getName())
                            .isEqualTo("/q/health/ready");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void aReadOnlyRootFilesystemComesWithAWritableTmp(String name, Rendered rendered) {
        rendered.workloads().stream().filter(w -> !w.name().startsWith("Pod/")).forEach(workload -> {
            List<String> emptyDirs = workload.pod().getVolumes().stream()
                    .filter(v -> v.getEmptyDir() != null)
                    .map(Volume::getName)
                    .toList();
            workload.containers()
                    .forEach(container -> assertThat(container.getVolumeMounts())
                            .as(workload.name() + " container " + container.getName() + " mounts an emptyDir at /tmp")
                            .anyMatch(m -> m.getMountPath().equals("/tmp") && emptyDirs.contains(m.getName())));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void noSecretValueInAnyConfigMapOrPlainEnvValue(String name, Rendered rendered) {
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            String data = String.valueOf(configMap.getData()) + configMap.getBinaryData();
            for (String secret : Chart.TEST_SECRETS.values()) {
                assertThat(data).as(Rendered.describe(configMap)).doesNotContain(secret);
            }
        }
        rendered.workloads().stream().flatMap(Rendered.Workload::containers).forEach(container -> {
            List<String> plain = Stream.concat(
                            container.getEnv().stream().map(EnvVar::getValue),
                            Stream.concat(container.getArgs().stream(), container.getCommand().stream()))
                    .filter(Objects::nonNull)
                    .toList();
            for (String secret : Chart.TEST_SECRETS.values()) {
                assertThat(plain)
                        .as(container.getName() + " env values and args")
                        .noneMatch(v -> v.contains(secret));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyIngressHasTlsForEachOfItsHosts(String name, Rendered rendered) {
        for (Ingress ingress : rendered.all(Ingress.class)) {
            List<IngressTLS> tls = ingress.getSpec().getTls();
            assertThat(tls).as(Rendered.describe(ingress) + " tls").isNotEmpty();
            assertThat(tls).allSatisfy(t -> assertThat(t.getSecretName()).isNotBlank());
            List<String> tlsHosts =
                    tls.stream().flatMap(t -> t.getHosts().stream()).toList();
            assertThat(ingress.getSpec().getRules())
                    .extracting(IngressRule::getHost)
                    .isNotEmpty()
                    .allSatisfy(host -> assertThat(tlsHosts).contains(host));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everySimulatorJobRunsOneShardPerPod(String name, Rendered rendered) {
        for (Job job : rendered.all(Job.class)) {
            if (!"simulator".equals(job.getMetadata().getLabels().get("app.kubernetes.io/component"))) {
                continue;
            }
            String where = Rendered.describe(job);
            assertThat(job.getSpec().getCompletionMode()).as(where).isEqualTo("Indexed");
            Integer completions = job.getSpec().getCompletions();
            assertThat(completions).as(where + " completions").isNotNull().isPositive();
            assertThat(job.getSpec().getParallelism())
                    .as(where + " parallelism")
                    .isEqualTo(completions);
            Container simulator =
                    job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(simulator.getArgs())
                    .as(where + " args")
                    .contains("--shard-count=" + completions, "--shard-index=$(JOB_COMPLETION_INDEX)")
                    .filteredOn(a -> a.startsWith("--shard-count"))
                    .hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyRoleGrantsOnlyNamedObjects(String name, Rendered rendered) {
        for (Role role : rendered.all(Role.class)) {
            assertThat(role.getRules()).as(Rendered.describe(role)).isNotEmpty().allSatisfy(rule -> {
                String where = Rendered.describe(role) + " rule " + rule.getResources();
                assertThat(rule.getResourceNames())
                        .as(where + " resourceNames")
                        .isNotEmpty()
                        .doesNotContain("*", "");
                assertThat(rule.getResources()).as(where).doesNotContain("*");
                assertThat(rule.getVerbs()).as(where + " verbs").isSubsetOf("get", "create", "patch");
            });
        }
        assertThat(rendered.objects())
                .as("no cluster-wide RBAC")
                .noneMatch(o -> o.getKind().equals("ClusterRole") || o.getKind().equals("ClusterRoleBinding"));
    }

    /**
     * The shell scripts the chart runs (container {@code [sh|bash, -ec] script} and the PostgreSQL init script) parse:
     * a quoting slip in a template would otherwise surface only in a cluster. Checked with the build machine's
     * shells, `sh -n` / `bash -n`.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyShellScriptParses(String name, Rendered rendered) throws Exception {
        List<Script> scripts = new ArrayList<>();
        for (Rendered.Workload workload : rendered.workloads()) {
            workload.containers().forEach(container -> {
                List<String> command = container.getCommand();
                if (command.size() == 2
                        && List.of("sh", "bash").contains(command.get(0))
                        && command.get(1).startsWith("-")
                        && command.get(1).contains("c")) {
                    assertThat(container.getArgs())
                            .as(workload.name() + " container " + container.getName())
                            .hasSize(1);
                    scripts.add(new Script(
                            workload.name() + " container " + container.getName(),
                            command.get(0),
                            container.getArgs().get(0)));
                }
            });
        }
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            configMap.getData().forEach((key, value) -> {
                if (key.endsWith(".sh")) {
                    scripts.add(new Script(Rendered.describe(configMap) + " " + key, "bash", value));
                }
            });
        }
        for (Script script : scripts) {
            assertThat(script.parseErrors())
                    .as(script.where() + ":\n" + script.text())
                    .isEmpty();
        }
    }

    private record Script(String where, String shell, String text) {
        String parseErrors() throws Exception {
            Assumptions.assumeTrue(
                    Files.isExecutable(Path.of("/bin", shell)) || Files.isExecutable(Path.of("/usr/bin", shell)),
                    shell + " is not installed here");
            Path file = Files.createTempFile("chart-script", ".sh");
            try {
                Files.writeString(file, text);
                Process process = new ProcessBuilder(shell, "-n", file.toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return process.waitFor() == 0 ? "" : output.isBlank() ? "exit " + process.exitValue() : output;
            } finally {
                Files.delete(file);
            }
        }
    }
}
