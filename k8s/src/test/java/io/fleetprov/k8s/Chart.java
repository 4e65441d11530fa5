package io.fleetprov.k8s;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The chart under test, rendered by Helm itself (helm-java: Helm's Go code as a native library). */
final class Chart {

    static final Path DIR = Path.of("helm", "fleetprov").toAbsolutePath();
    static final String RELEASE = "fp";
    static final String NAMESPACE = "fleet";

    /**
     * Values no ConfigMap may ever show. Set on every render, so a template that copies a secret value into a
     * ConfigMap (or into a plain env value) is caught whatever the values file is.
     */
    static final Map<String, String> TEST_SECRETS = Map.of(
            "secrets.oidcClientSecret", "t3st-oidc-client-secret-Q1",
            "secrets.hookSharedSecret", "t3st-hook-shared-secret-Q2",
            "secrets.claimBundleKey", "dDNzdC1idW5kbGUta2V5LVEzLTE2Ynl0ZXM=",
            "secrets.claimServiceDbPassword", "t3st-claims-db-password-Q4",
            "secrets.auditServiceDbPassword", "t3st-audit-db-password-Q5",
            "secrets.auditServiceDbOwnerPassword", "t3st-audit-db-owner-password-Q8",
            "secrets.postgresqlPassword", "t3st-postgres-password-Q6",
            "secrets.simulatorInstallerPassword", "t3st-installer-password-Q7",
            "secrets.eventSigningKey", "-----BEGIN PRIVATE KEY----- t3stEventSigningKeyQ9 -----END PRIVATE KEY-----",
            "secrets.auditCheckpointSigningKey",
                    "-----BEGIN PRIVATE KEY----- t3stCheckpointKeyQ10 -----END PRIVATE KEY----- "
                            + "-----BEGIN PUBLIC KEY----- t3stCheckpointPublic -----END PUBLIC KEY-----");

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Chart() {}

    static Path example(String name) {
        Path file = DIR.resolve("examples").resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no example values file " + file);
        }
        return file;
    }

    static TemplateCommand template() {
        return new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    }

    /** NOTES.txt as `helm install` prints it (a client-only dry run: no cluster). */
    static String notes(Path valuesFile) {
        InstallCommand install = new Helm(DIR)
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .clientOnly()
                .dryRun()
                // As `helm install --dry-run` does: lookup finds nothing rather than asking a cluster.
                .withDryRunOption(DryRun.CLIENT);
        if (valuesFile != null) {
            install = install.withValuesFile(valuesFile);
        }
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    /**
     * `helm template` leaves hooks out, so the `helm test` pod would escape the checks. This copy of the chart is the
     * same but for the hook annotation key, renamed to HOOK_MARKER: the pod then renders as a plain manifest.
     */
    private static synchronized Path chartWithHooksAsManifests() {
        Path copy = Path.of("target", "chart-hooks-as-manifests", "fleetprov").toAbsolutePath();
        try {
            if (!hooksCopyMade) {
                // Made afresh in every test run: a copy left by an earlier build may hold an older chart.
                if (Files.exists(copy)) {
                    try (Stream<Path> old = Files.walk(copy)) {
                        for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
                hooksCopyMade = true;
                try (Stream<Path> files = Files.walk(DIR)) {
                    for (Path file : files.toList()) {
                        Path target = copy.resolve(DIR.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(target);
                        } else {
                            Files.writeString(
                                    target, Files.readString(file).replace("helm.sh/hook:", HOOK_MARKER + ":"));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private static boolean hooksCopyMade;

    static final String HOOK_MARKER = "test.fleetprov.io/helm-hook";

    /**
     * Renders with the given values file (null: the chart's defaults), the test secrets and the extra sets, and keeps
     * the manifests in target/rendered/NAME.yaml for a human to read.
     */
    static Rendered render(String name, Path valuesFile, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chartWithHooksAsManifests())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        Map<String, Object> all = new LinkedHashMap<>(TEST_SECRETS);
        // helm-java's template asks a cluster for lookup (Helm's own `helm template` does not): there is none here.
        all.put("emulator.accessKey.lookupInstalled", false);
        all.putAll(sets);
        for (Map.Entry<String, Object> set : all.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String manifests = command.call();
        try {
            Path out = Path.of("target", "rendered", name + ".yaml");
            Files.createDirectories(out.getParent());
            Files.writeString(out, manifests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(parse(manifests));
    }

    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
            boolean empty =
                    document.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
            if (!empty) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }
}
