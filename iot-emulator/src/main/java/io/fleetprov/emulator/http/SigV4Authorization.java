package io.fleetprov.emulator.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date,
 * Signature=hex}.
 */
record SigV4Authorization(
        String accessKeyId, String date, String region, String service, List<String> signedHeaders, String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    String scope() {
        return date + "/" + region + "/" + service + "/aws4_request";
    }

    /** @throws IllegalArgumentException if the header is not a complete SigV4 authorization */
    static SigV4Authorization parse(String header) {
        if (header == null || !header.startsWith(ALGORITHM + " ")) {
            throw new IllegalArgumentException("Authorization header must start with " + ALGORITHM);
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            if (eq > 0) {
                parts.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw new IllegalArgumentException(
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw new IllegalArgumentException("Credential must have the form KeyId/Date/Region/Service/aws4_request");
        }
        return new SigV4Authorization(
                scope[0], scope[1], scope[2], scope[3], List.of(signedHeaders.split(";")), signature);
    }
}
