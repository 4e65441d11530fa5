package io.fleetprov.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.EmulatorConfig;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.TestTemplates;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI (botocore) against the emulator, as the README tells users to run it. Skipped when {@code aws} is
 * not on the PATH.
 */
class ControlPlaneAwsCliIT {

    private static final String DEVICE_TEMPLATE = TestTemplates.deviceTemplate("device-");

    private static final String TEMPLATE = "cli-template";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IotEmulator emulator;

    @TempDir
    static Path dir;

    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(stdout);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(awsOnPath(), "the aws CLI is not installed");
        Path seed = Files.writeString(dir.resolve("seed.json"), ControlPlaneCognitoIT.SEED);
        emulator = IotEmulator.start(
                EmulatorConfig.builder().forTests().seedFile(seed).build());
        emulator.registry().templates().create(TEMPLATE, null, DEVICE_TEMPLATE, true, TestTemplates.ROLE, null, null);
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void createProvisioningClaim() throws Exception {
        Result result = aws(emulator, "dummy", "iot", "create-provisioning-claim", "--template-name", TEMPLATE);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode claim = result.json();
        assertThat(claim.path("certificateId").asText()).matches("[0-9a-f]{64}");
        assertThat(claim.path("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(claim.path("keyPair").path("PrivateKey").asText()).contains("PRIVATE KEY-----");
        assertThat(claim.path("keyPair").path("PublicKey").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(emulator.registry()
                        .certificates()
                        .get(claim.path("certificateId").asText())
                        .isClaim())
                .isTrue();
    }

    @Test
    void describeEndpoint() throws Exception {
        Result result = aws(emulator, "dummy", "iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.json().path("endpointAddress").asText()).isEqualTo(emulator.mqttEndpoint());
    }

    @Test
    void updateEventConfigurationsWithPatch() throws Exception {
        Result update = aws(
                emulator,
                "dummy",
                "iot",
                "update-event-configurations",
                "--event-configurations",
                "{\"THING_GROUP\":{\"Enabled\":true}}");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(emulator.registry().eventConfigurations().current().isEnabled("THING_GROUP"))
                .isTrue();
        Result describe = aws(emulator, "dummy", "iot", "describe-event-configurations");
        assertThat(describe.json()
                        .path("eventConfigurations")
                        .path("THING_GROUP")
                        .path("Enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void userManagedClaimWithCreateKeysAndCertificateAndAttachPolicy() throws Exception {
        Result policy = aws(
                emulator,
                "dummy",
                "iot",
                "create-policy",
                "--policy-name",
                "cli-claim-policy",
                "--policy-document",
                DeviceSdkUserManagedClaimIT.claimPolicy(TEMPLATE, true));
        assertThat(policy.exitCode()).as(policy.stderr()).isZero();
        Result created = aws(emulator, "dummy", "iot", "create-keys-and-certificate", "--set-as-active");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        JsonNode certificate = created.json();
        assertThat(certificate.path("keyPair").path("PrivateKey").asText()).contains("PRIVATE KEY-----");
        String arn = certificate.path("certificateArn").asText();
        Result attach =
                aws(emulator, "dummy", "iot", "attach-policy", "--policy-name", "cli-claim-policy", "--target", arn);
        assertThat(attach.exitCode()).as(attach.stderr()).isZero();
        var record = emulator.registry()
                .certificates()
                .get(certificate.path("certificateId").asText());
        assertThat(record.status().name()).isEqualTo("ACTIVE");
        assertThat(emulator.registry().attachedPolicies(arn))
                .extracting(p -> p.policyName())
                .containsExactly("cli-claim-policy");
    }

    @Test
    void policyVersionsThroughTheCli() throws Exception {
        String v1 = TestTemplates.ALLOW_ALL_POLICY.strip();
        String v2 = "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";
        assertThat(aws(emulator, "dummy", "iot", "create-policy", "--policy-name", "cli-v", "--policy-document", v1)
                        .exitCode())
                .isZero();
        Result version = aws(
                emulator,
                "dummy",
                "iot",
                "create-policy-version",
                "--policy-name",
                "cli-v",
                "--policy-document",
                v2,
                "--set-as-default");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.json().path("policyVersionId").asText()).isEqualTo("2");
        assertThat(version.json().path("isDefaultVersion").asBoolean()).isTrue();
        Result back = aws(
                emulator,
                "dummy",
                "iot",
                "set-default-policy-version",
                "--policy-name",
                "cli-v",
                "--policy-version-id",
                "1");
        assertThat(back.exitCode()).as(back.stderr()).isZero();
        Result versions = aws(emulator, "dummy", "iot", "list-policy-versions", "--policy-name", "cli-v");
        assertThat(versions.json()
                        .path("policyVersions")
                        .get(0)
                        .path("isDefaultVersion")
                        .asBoolean())
                .isTrue();
        Result refused = aws(emulator, "dummy", "iot", "delete-policy", "--policy-name", "cli-v");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("DeleteConflictException");
        Result listed = aws(emulator, "dummy", "iot", "list-policies");
        assertThat(listed.json().path("policies").findValuesAsText("policyName"))
                .contains("cli-v");
    }

    @Test
    void thingTypesGroupsAndUpdateThingThroughTheCli() throws Exception {
        assertThat(aws(emulator, "dummy", "iot", "create-thing-type", "--thing-type-name", "cli-type")
                        .exitCode())
                .isZero();
        assertThat(aws(emulator, "dummy", "iot", "create-thing", "--thing-name", "cli-thing")
                        .exitCode())
                .isZero();
        Result update = aws(
                emulator,
                "dummy",
                "iot",
                "update-thing",
                "--thing-name",
                "cli-thing",
                "--thing-type-name",
                "cli-type",
                "--attribute-payload",
                "{\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"},\"merge\":true}");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        Result described = aws(emulator, "dummy", "iot", "describe-thing", "--thing-name", "cli-thing");
        assertThat(described.json().path("thingTypeName").asText()).isEqualTo("cli-type");
        assertThat(described.json().path("attributes").size()).isEqualTo(4);

        assertThat(aws(emulator, "dummy", "iot", "create-thing-group", "--thing-group-name", "cli-group")
                        .exitCode())
                .isZero();
        Result add = aws(
                emulator,
                "dummy",
                "iot",
                "add-thing-to-thing-group",
                "--thing-group-name",
                "cli-group",
                "--thing-name",
                "cli-thing");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        Result groups = aws(emulator, "dummy", "iot", "list-thing-groups-for-thing", "--thing-name", "cli-thing");
        assertThat(groups.json().path("thingGroups").findValuesAsText("groupName"))
                .containsExactly("cli-group");
        Result missingType = aws(
                emulator,
                "dummy",
                "iot",
                "create-thing",
                "--thing-name",
                "cli-untyped",
                "--thing-type-name",
                "no-such-type");
        assertThat(missingType.exitCode()).isNotZero();
        assertThat(missingType.stderr()).contains("ResourceNotFoundException");
    }

    @Test
    void errorsReachTheCliWithTheirAwsCode() throws Exception {
        Result result = aws(emulator, "dummy", "iot", "create-provisioning-claim", "--template-name", "missing");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ResourceNotFoundException").contains("missing");
    }

    @Test
    void installerSignsInWithCognitoIdp() throws Exception {
        Result result = aws(
                emulator,
                "dummy",
                "cognito-idp",
                "initiate-auth",
                "--auth-flow",
                "USER_PASSWORD_AUTH",
                "--client-id",
                ControlPlaneCognitoIT.CLIENT_ID,
                "--auth-parameters",
                "USERNAME=alice,PASSWORD=Installer-Passw0rd!");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.json().path("AuthenticationResult").path("IdToken").asText())
                .isNotBlank();
    }

    @Test
    void strictSigV4VerifiesTheCliSignature() throws Exception {
        try (IotEmulator strict = IotEmulator.start(EmulatorConfig.builder()
                .forTests()
                .accessKey("AKIDCLI", "cli-secret")
                .build())) {
            strict.registry().templates().create(TEMPLATE, null, DEVICE_TEMPLATE, true, TestTemplates.ROLE, null, null);
            Result good = aws(strict, "cli-secret", "iot", "create-provisioning-claim", "--template-name", TEMPLATE);
            assertThat(good.exitCode()).as(good.stderr()).isZero();
            Result bad = aws(strict, "wrong-secret", "iot", "create-provisioning-claim", "--template-name", TEMPLATE);
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.stderr()).contains("InvalidSignatureException");
        }
    }

    private static Result aws(IotEmulator target, String secret, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", target.httpUrl(), "--region", "us-east-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", secret.equals("dummy") ? "AKIDDUMMY" : "AKIDCLI");
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        // Nothing from the machine's own AWS setup may leak in.
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1");
        Path out = Files.createTempFile(dir, "aws", ".out");
        Path err = Files.createTempFile(dir, "aws", ".err");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " timed out");
        }
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean awsOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, "aws"))) {
                return true;
            }
        }
        return false;
    }
}
