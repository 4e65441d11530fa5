package io.fleetprov.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What one `helm template` produced, as typed Kubernetes objects. */
record Rendered(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return named(type, name)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in "
                        + objects.stream().map(Rendered::describe).toList()));
    }

    /** Every pod template (Deployments, StatefulSets, Jobs) and bare pod (helm test). */
    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        all(Deployment.class)
                .forEach(d -> workloads.add(
                        new Workload(describe(d), d.getSpec().getTemplate().getSpec(), true)));
        all(StatefulSet.class)
                .forEach(s -> workloads.add(
                        new Workload(describe(s), s.getSpec().getTemplate().getSpec(), true)));
        all(Job.class)
                .forEach(j -> workloads.add(
                        new Workload(describe(j), j.getSpec().getTemplate().getSpec(), false)));
        all(Pod.class).forEach(p -> workloads.add(new Workload(describe(p), p.getSpec(), false)));
        return workloads;
    }

    static String describe(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }

    /** A pod spec and whether it runs long (and so must have probes). */
    record Workload(String name, PodSpec pod, boolean longRunning) {
        Stream<Container> containers() {
            return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream());
        }
    }
}
