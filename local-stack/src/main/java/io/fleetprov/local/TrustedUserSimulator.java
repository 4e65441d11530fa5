package io.fleetprov.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The device simulator as {@code ./fleetprov demo} runs it against the local system: a child JVM from the packaged
 * simulator that signs in as the seeded installer, asks claim-service for each device's claim over HTTPS and
 * provisions the devices through the emulator.
 */
final class TrustedUserSimulator {

    private TrustedUserSimulator() {}

    /**
     * The simulator's process for {@code devices} arrivals at {@code rate} per second, writing its summary and report
     * to {@code runDir}, with {@code moreOptions} of {@code ./fleetprov simulate run} after the demo's; the caller
     * decides where its output goes.
     */
    static ProcessBuilder process(
            Path root, LocalStack stack, int devices, double rate, Path runDir, List<String> moreOptions) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                root.resolve("device-simulator/target/quarkus-app/quarkus-run.jar")
                        .toString()));
        command.addAll(arguments(stack));
        command.addAll(List.of(
                "--devices",
                Integer.toString(devices),
                "--rate",
                Double.toString(rate),
                "--out",
                runDir.toString(),
                "--plain"));
        command.addAll(moreOptions);
        ProcessBuilder simulator = new ProcessBuilder(command);
        simulator.environment().putAll(environment(stack));
        return simulator;
    }

    /**
     * The options that make the simulator an installer of this stack: signed in to its user pool, asking its
     * claim-service over HTTPS for each device's claim (also what {@code ./fleetprov bench} measures).
     */
    static List<String> arguments(LocalStack stack) {
        return List.of(
                "--source",
                "trusted-user",
                "--claim-service-url",
                stack.claimServiceHttpsUrl(),
                "--claim-service-ca",
                stack.httpsCaFile().toString(),
                "--cognito-endpoint-url",
                stack.emulator().httpUrl(),
                "--user-pool-client-id",
                DemoSeed.APP_CLIENT_ID,
                "--username",
                DemoSeed.INSTALLER,
                "--bearer",
                "access",
                "--emulator-dir",
                stack.stateDir().resolve("emulator").toString(),
                "--template",
                DemoSeed.TEMPLATE);
    }

    /**
     * The installer's password goes through the environment, never the command line (visible to {@code ps}); the
     * emulator's local credentials with it.
     */
    static Map<String, String> environment(LocalStack stack) {
        return Map.of(
                "FLEETPROV_PASSWORD",
                stack.installerPassword(),
                "AWS_ACCESS_KEY_ID",
                "local",
                "AWS_SECRET_ACCESS_KEY",
                "local",
                "AWS_REGION",
                stack.emulator().config().region());
    }
}
