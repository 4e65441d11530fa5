package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.limit.HandshakeCost;
import io.fleetprov.simulator.limit.LimitComparison;
import io.fleetprov.simulator.limit.MachineLimit;
import io.fleetprov.simulator.report.RunData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fleetprov simulate machine-limit}: what this machine could provision at best, measured without a run.
 * Runs, soaks and ceiling searches measure the same before they start when given {@code --machine-limit}.
 */
@Command(
        name = "machine-limit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures this machine's limit cores / (t1 + t2 + t3 + 2 x t4): claim key + certificate, device key +",
            "CSR, CSR check + certificate, and one mutual-TLS handshake on both ends as the simulator and the broker",
            "perform it (thread CPU in this JVM). Prints it as JSON and writes DIR/machine-limit.json with --out."
        })
public class MachineLimitCommand implements Callable<Integer> {

    @Option(
            names = "--key-type",
            defaultValue = "EC_P256",
            paramLabel = "EC_P256|RSA_2048",
            description = "Device key the crypto is timed with. Default: ${DEFAULT-VALUE}.")
    DeviceKeyType keyType;

    @Option(
            names = "--tls",
            defaultValue = "auto",
            paramLabel = "auto|openssl|jdk",
            description = "TLS engine of the devices' side of the handshake (t4), as for a run. "
                    + "Default: ${DEFAULT-VALUE}.")
    String tls;

    @Option(names = "--out", paramLabel = "DIR", description = "Write machine-limit.json here.")
    Path out;

    @Override
    public Integer call() throws IOException {
        MachineLimit.Result limit = measure(keyType, TargetOptions.useOpenSsl(tls), System.err);
        if (out != null) {
            RunOutput.writeJson(out.resolve(FILE), limit.toMap());
        }
        System.out.println(RunOutput.toJson(limit.toMap()));
        return RunOutput.EXIT_OK;
    }

    static final String FILE = "machine-limit.json";

    /** Handshakes timed for t4, after as many to warm the JIT up: enough for a stable average (about 1 ms each). */
    static final int HANDSHAKES = 2000;

    /**
     * @param openSslTarget whether devices use OpenSSL: t4's client side then is the simulator's shared OpenSSL
     *                      context, else the JDK's TLS, as the devices of the run would connect
     */
    static MachineLimit.Result measure(DeviceKeyType keyType, boolean openSslTarget, PrintStream err) {
        err.println("fleetprov simulate: measuring this machine's limit (about 15 s) ...");
        HandshakeCost.Result t4 = HandshakeCost.asTheSystemDoesIt(keyType, openSslTarget, HANDSHAKES);
        // Not in the formula: how t4 was measured until issue 14 (two openssl processes over loopback), for
        // comparison with earlier figures. Skipped when openssl is not on PATH.
        HandshakeCost.Result sTime = HandshakeCost.openSslSTime(keyType, Duration.ofSeconds(3));
        err.printf(
                "fleetprov simulate: one mutual-TLS handshake, both ends: %.3f ms as the system performs it"
                        + " (client %.3f + server %.3f; whole JVM %.3f)%s%n",
                t4.millisPerHandshake(),
                t4.clientMs(),
                t4.serverMs(),
                t4.processMs(),
                sTime == null
                        ? ""
                        : String.format("; %.3f ms by openssl s_time (comparison only)", sTime.millisPerHandshake()));
        MachineLimit.Result limit = MachineLimit.measure(keyType, t4, sTime == null ? List.of() : List.of(sTime));
        err.println("fleetprov simulate: " + limit.describe());
        return limit;
    }

    /** Prints the run's devices/s against the limit and writes {@code DIR/machine-limit.json}. */
    static LimitComparison compare(RunData run, MachineLimit.Result limit, Path out, PrintStream err)
            throws IOException {
        LimitComparison comparison = new LimitComparison(limit, run.devicesPerSecond());
        err.printf(
                "fleetprov simulate: achieved %.2f devices/s = %.1f%% of this machine's limit %.1f devices/s%n",
                comparison.achievedDevicesPerSecond(), 100 * comparison.ratio(), limit.devicesPerSecond());
        if (out != null) {
            RunOutput.writeJson(out.resolve(FILE), comparison.toMap());
        }
        return comparison;
    }
}
