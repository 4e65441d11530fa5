package io.fleetprov.emulator.ca;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate's validity time as RFC 5280 asks (UTCTime {@code YYMMDDHHMMSSZ} for 1950 to 2049, GeneralizedTime
 * {@code YYYYMMDDHHMMSSZ} otherwise; whole seconds), encoded to the same bytes as Bouncy Castle's {@code Time(Date)}.
 * That constructor builds two {@code SimpleDateFormat}s and parses its own output back for every time: about 5 % of
 * the emulator's CPU per provisioned device in a profile (two certificates per device, two times each). Here the text
 * comes from one shared, immutable formatter and Bouncy Castle reads the DER without re-parsing the date.
 */
final class CertificateTimes {

    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final byte UTC_TIME_TAG = 0x17;
    private static final byte GENERALIZED_TIME_TAG = 0x18;

    private CertificateTimes() {}

    /** The time, truncated to the second, as a certificate's notBefore or notAfter. */
    static Time of(Instant instant) {
        Instant seconds = instant.truncatedTo(ChronoUnit.SECONDS);
        int year = seconds.atOffset(ZoneOffset.UTC).getYear();
        boolean utc = year >= 1950 && year <= 2049;
        byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(seconds).getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[text.length + 2];
        der[0] = utc ? UTC_TIME_TAG : GENERALIZED_TIME_TAG;
        der[1] = (byte) text.length; // 13 or 15: a short-form length
        System.arraycopy(text, 0, der, 2, text.length);
        return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }
}
