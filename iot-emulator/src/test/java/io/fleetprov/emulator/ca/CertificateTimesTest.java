package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateTimesTest {

    /** Byte for byte what Bouncy Castle's own Time(Date) encodes, on both sides of the UTCTime range. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-12-03T18:10:59.999999999Z",
                "2026-01-01T00:00:00Z",
                "1950-01-01T00:00:00Z",
                "1949-12-31T23:59:59Z",
                "2049-12-31T23:59:59.5Z",
                "2050-01-01T00:00:00Z",
                "2126-06-30T12:34:56Z"
            })
    void encodesAsBouncyCastlesTimeOfTheSameSecond(String text) throws Exception {
        Instant instant = Instant.parse(text);
        Time ours = CertificateTimes.of(instant);
        Time bouncyCastles = new Time(Date.from(instant.truncatedTo(ChronoUnit.SECONDS)));

        assertThat(ours.getEncoded(ASN1Encoding.DER)).isEqualTo(bouncyCastles.getEncoded(ASN1Encoding.DER));
        assertThat(ours.getDate()).isEqualTo(Date.from(instant.truncatedTo(ChronoUnit.SECONDS)));
    }
}
