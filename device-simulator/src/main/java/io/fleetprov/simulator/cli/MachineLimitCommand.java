package io.fleetprov.simulator.cli;

import io.fleetprov.simulator.client.DeviceKeyType;
import io.fleetprov.simulator.limit.HandshakeCost;
import io.fleetprov.simulator.limit.LimitComparison;
import io.fleetprov.simulator.limit.MachineLimit;
import io.fleetprov.simulator.report.RunData;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
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
            "CSR, CSR check + certificate (thread CPU in this JVM), and one mutual-TLS handshake on both ends (openssl",
            "s_time, else in-process). Prints it as JSON and writes DIR/machine-limit.json with --out."
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
            description = "TLS engine the in-process handshake stands for when openssl is not on PATH. "
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

    /** @param openSslTarget whether devices use OpenSSL: the in-process fallback for t4 then times that engine */
    static MachineLimit.Result measure(DeviceKeyType keyType, boolean openSslTarget, PrintStream err) {
        err.println("fleetprov simulate: measuring this machine's limit (about 15 s) ...");
        HandshakeCost.Result jdk = HandshakeCost.inProcess(SslProvider.JDK, keyType, 200);
        HandshakeCost.Result openSsl =
                OpenSsl.isAvailable() ? HandshakeCost.inProcess(SslProvider.OPENSSL, keyType, 200) : null;
        HandshakeCost.Result sTime = HandshakeCost.openSslSTime(keyType, Duration.ofSeconds(3));
        HandshakeCost.Result t4 = sTime != null ? sTime : openSsl != null && openSslTarget ? openSsl : jdk;
        err.printf(
                "fleetprov simulate: one mutual-TLS handshake, both ends: %s%s%s%n",
                sTime == null ? "" : String.format("%.3f ms by openssl s_time; ", sTime.millisPerHandshake()),
                openSsl == null ? "" : String.format("%.3f ms in-process OpenSSL; ", openSsl.millisPerHandshake()),
                String.format("%.3f ms in-process JDK", jdk.millisPerHandshake()));
        MachineLimit.Result limit = MachineLimit.measure(keyType, t4);
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
