package io.fleetprov.emulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark's reading of {@code openssl speed}, and that every figure it prints comes from a real operation. */
class CryptoBenchmarkTest {

    private static final String OPENSSL_3_0 = """
            Doing 2048 bits private rsa's for 3s: 5756 2048 bits private RSA's in 2.99s
            version: 3.0.19
                              sign    verify    sign/s verify/s
            rsa 2048 bits 0.000521s 0.000034s   1918.8  29429.4
                                          sign    verify    sign/s verify/s
             256 bits ecdsa (nistp256)   0.0000s   0.0001s  22465.7   7348.5
            """;

    private static final String OPENSSL_3_2 = """
                              sign    verify    encrypt   decrypt   sign/s verify/s  encr./s  decr./s
            rsa 2048 bits 0.000500s 0.000020s 0.000021s 0.000510s   2000.0  50000.0  47619.0   1960.8
                                          sign    verify    sign/s verify/s
             256 bits ecdsa (nistp256)   0.0000s   0.0001s  40000.0  12500.0
            """;

    @Test
    void readsSignAndVerifyRatesOfOpenssl30() {
        var speed = CryptoBenchmark.parseSpeed("OpenSSL 3.0.19", OPENSSL_3_0).orElseThrow();

        assertThat(speed.ecdsaP256SignMicros()).isCloseTo(1e6 / 22465.7, within());
        assertThat(speed.ecdsaP256VerifyMicros()).isCloseTo(1e6 / 7348.5, within());
        assertThat(speed.rsa2048VerifyMicros()).isCloseTo(1e6 / 29429.4, within());
    }

    @Test
    void readsTheSameColumnsWhenNewerOpensslAddsEncryption() {
        var speed = CryptoBenchmark.parseSpeed("OpenSSL 3.2.0", OPENSSL_3_2).orElseThrow();

        assertThat(speed.ecdsaP256SignMicros()).isCloseTo(25.0, within());
        assertThat(speed.rsa2048VerifyMicros()).isCloseTo(20.0, within());
    }

    @Test
    void outputItCannotReadGivesNoFigureRatherThanAWrongOne() {
        assertThat(CryptoBenchmark.parseSpeed("?", "speed: unknown algorithm ecdsap256"))
                .isEmpty();
        assertThat(CryptoBenchmark.parseSpeed("?", " 256 bits ecdsa (nistp256) 0.0s 0.0s n/a n/a\nrsa 2048 bits 1 2"))
                .isEmpty();
    }

    @Test
    void everyFigureIsMeasuredAndPrinted() {
        var result = CryptoBenchmark.run(Duration.ofMillis(30), false);

        assertThat(result.figures()).allSatisfy(f -> {
            assertThat(f.operations()).isPositive();
            assertThat(f.micros()).isPositive();
            assertThat(result.report()).contains(f.operation());
        });
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.01);
    }
}
