package io.fleetprov.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** claim-service's end-to-end TLS switch, and the ingress routes of the installer app. */
class ClaimServiceHttpsTest {

    private static final String NAME = Chart.RELEASE + "-fleetprov-claim-service";

    @Test
    void byDefaultTlsEndsAtTheIngressWhichRoutesTheApiAndTheInstallerApp() {
        Rendered r = Chart.render(
                "https-off", Chart.example("aws-production.yaml"), Map.of("claimService.ingress.enabled", true));
        assertThat(r.get(Ingress.class, NAME)
                        .getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths())
                .extracting(HTTPIngressPath::getPath)
                .containsExactly("/v1", "/app", "/static");
        assertThat(r.get(Ingress.class, NAME)
                        .getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths())
                .allSatisfy(
                        p -> assertThat(p.getBackend().getService().getPort().getName())
                                .isEqualTo("http"));
        assertThat(r.get(ConfigMap.class, NAME).getData()).doesNotContainKey("QUARKUS_PROFILE");
        assertThat(container(r).getPorts()).extracting(ContainerPort::getName).containsExactly("http");
    }

    @Test
    void theSwitchMountsTheTlsSecretAndServesHttpsEndToEnd() {
        Rendered r = Chart.render(
                "https-on",
                Chart.example("aws-production.yaml"),
                Map.of(
                        "claimService.ingress.enabled", true,
                        "claimService.https.enabled", true,
                        "claimService.https.secretName", "claim-service-server-tls"));
        assertThat(r.get(ConfigMap.class, NAME).getData())
                .containsEntry("QUARKUS_PROFILE", "prod,https")
                .containsEntry("FLEETPROV_HTTPS_PORT", "8443")
                .containsEntry("FLEETPROV_HTTPS_CERT_FILE", "/etc/fleetprov/https/tls.crt")
                .containsEntry("FLEETPROV_HTTPS_KEY_FILE", "/etc/fleetprov/https/tls.key");
        Container c = container(r);
        assertThat(c.getPorts()).extracting(ContainerPort::getName).containsExactly("http", "https");
        assertThat(c.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/fleetprov/https"));
        assertThat(r.get(Deployment.class, NAME)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getVolumes())
                .filteredOn(v -> v.getName().equals("https"))
                .singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("claim-service-server-tls"));
        assertThat(r.get(Service.class, NAME).getSpec().getPorts())
                .extracting(ServicePort::getName)
                .containsExactly("http", "https");
        assertThat(r.get(Ingress.class, NAME)
                        .getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths())
                .allSatisfy(
                        p -> assertThat(p.getBackend().getService().getPort().getName())
                                .isEqualTo("https"));
    }

    private static Container container(Rendered r) {
        return r.get(Deployment.class, NAME)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }
}
