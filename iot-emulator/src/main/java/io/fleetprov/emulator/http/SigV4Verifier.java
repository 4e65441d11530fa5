package io.fleetprov.emulator.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Checks the SigV4 signature of a request, in one of two modes.
 * <ul>
 * <li><b>Lenient</b> (no access keys configured): signatures are not verified and unsigned requests pass, so
 * {@code curl} works; but a credential scoped to the wrong service is refused as AWS refuses it, because that is
 * a client misconfiguration worth catching locally.</li>
 * <li><b>Strict</b> (access keys configured): every request must be signed by a known key with a valid
 * signature, except the operations AWS itself accepts unsigned (Cognito's InitiateAuth, for example).</li>
 * </ul>
 */
public final class SigV4Verifier {

    /** AWS refuses signatures more than 15 minutes away from its clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
            + "documentation for details.";

    private final Map<String, String> secretsByAccessKey;
    private final String region;
    private final Clock wallClock;

    /**
     * @param secretsByAccessKey access key id → secret; empty means lenient mode
     * @param region             the only region strict mode accepts in a credential scope
     * @param wallClock          real time, which clients sign with (not the emulator's possibly moved clock)
     */
    public SigV4Verifier(Map<String, String> secretsByAccessKey, String region, Clock wallClock) {
        this.secretsByAccessKey = Map.copyOf(secretsByAccessKey);
        this.region = region;
        this.wallClock = wallClock;
    }

    public boolean strict() {
        return !secretsByAccessKey.isEmpty();
    }

    /**
     * @param services        signing names accepted for this request; the first is the one named in errors
     * @param unsignedAllowed whether AWS accepts this operation without a signature (matters in strict mode)
     * @throws AwsException 403 when the request is refused
     */
    void verify(RawRequest request, List<String> services, boolean unsignedAllowed) {
        String header = request.header("authorization");
        boolean sigV4 = header != null && header.startsWith(SigV4Authorization.ALGORITHM);
        if (!strict()) {
            if (sigV4) {
                checkLenient(header, services);
            }
            return;
        }
        if (!sigV4) {
            if (unsignedAllowed) {
                return;
            }
            throw forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        SigV4Authorization auth;
        try {
            auth = SigV4Authorization.parse(header);
        } catch (IllegalArgumentException e) {
            throw forbidden("IncompleteSignatureException", e.getMessage());
        }
        checkScope(auth, services);
        String secret = secretsByAccessKey.get(auth.accessKeyId());
        if (secret == null) {
            throw forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!auth.signedHeaders().contains("host")) {
            throw forbidden("InvalidSignatureException", "'Host' must be a signed header.");
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw forbidden("IncompleteSignatureException", "Signed requests must carry an X-Amz-Date header.");
        }
        checkDate(amzDate, auth);
        String canonical = SigV4Canonicalizer.canonicalRequest(request, auth.signedHeaders(), payloadHash(request));
        String expected = SigV4Canonicalizer.signature(
                secret, auth, SigV4Canonicalizer.stringToSign(amzDate, auth.scope(), canonical));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), auth.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw forbidden("InvalidSignatureException", SIGNATURE_MISMATCH);
        }
    }

    private static void checkLenient(String header, List<String> services) {
        SigV4Authorization auth;
        try {
            auth = SigV4Authorization.parse(header);
        } catch (IllegalArgumentException e) {
            return; // lenient mode does not police header syntax
        }
        if (!services.contains(auth.service())) {
            throw wrongService(services);
        }
    }

    private void checkScope(SigV4Authorization auth, List<String> services) {
        if (!services.contains(auth.service())) {
            throw wrongService(services);
        }
        if (!auth.region().equals(region)) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not '" + auth.region() + "'.");
        }
    }

    private void checkDate(String amzDate, SigV4Authorization auth) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw forbidden("IncompleteSignatureException", "X-Amz-Date must have the form yyyyMMddTHHmmssZ.");
        }
        if (!amzDate.startsWith(auth.date())) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        }
        Instant now = wallClock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw forbidden(
                    "InvalidSignatureException",
                    "Signature expired: " + amzDate + " is now earlier or later "
                            + "than 15 minutes from the server's time " + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
                            + ".");
        }
    }

    /** The client's declared payload hash when it has one (it is signed, so it must match the body), else ours. */
    private static String payloadHash(RawRequest request) {
        String actual = SigV4Canonicalizer.hex(SigV4Canonicalizer.sha256(request.body()));
        String declared = request.header("x-amz-content-sha256");
        if (declared == null) {
            return actual;
        }
        if (declared.equals(SigV4Canonicalizer.UNSIGNED_PAYLOAD) || declared.equals(actual)) {
            return declared;
        }
        throw forbidden(
                "InvalidSignatureException",
                "The provided x-amz-content-sha256 header does not match what " + "was computed.");
    }

    private static AwsException wrongService(List<String> services) {
        return forbidden(
                "InvalidSignatureException",
                "Credential should be scoped to correct service: '" + services.get(0) + "'.");
    }

    private static AwsException forbidden(String type, String message) {
        return new AwsException(type, 403, message);
    }
}
