package io.fleetprov.emulator.cli;

import io.fleetprov.emulator.bench.CryptoBenchmark;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetprov emulator crypto-bench}: the emulator's crypto per operation against {@code openssl speed}. */
@Command(
        name = "crypto-bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the emulator's crypto per operation (CSR check, certificate signing, the broker's client",
            "certificate check) in this JVM and divides it by openssl speed's figure for the same primitive."
        })
final class CryptoBenchCommand implements Callable<Integer> {

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description =
                    "CPU seconds per measured operation, and openssl speed's -seconds (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() {
        if (seconds < 1) {
            System.err.println("--seconds must be at least 1");
            return 2;
        }
        System.out.print(CryptoBenchmark.run(Duration.ofSeconds(seconds)).report());
        return 0;
    }
}
