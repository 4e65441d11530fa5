package io.fleetprov.emulator.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, the server's half: the canonical request, the string to sign and the signature, as in
 * AWS's "Create a signed AWS API request" (IAM user guide) for every service but S3 — the path is normalised and
 * URI-encoded once more on top of the encoding it arrived with.
 */
final class SigV4Canonicalizer {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private SigV4Canonicalizer() {}

    static String canonicalRequest(RawRequest request, List<String> signedHeaders, String payloadHash) {
        return request.method()
                + '\n'
                + canonicalUri(request.rawPath())
                + '\n'
                + canonicalQuery(request.rawQuery())
                + '\n'
                + canonicalHeaders(request, signedHeaders)
                + '\n'
                + String.join(";", signedHeaders)
                + '\n'
                + payloadHash;
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return SigV4Authorization.ALGORITHM
                + '\n'
                + amzDate
                + '\n'
                + scope
                + '\n'
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    static String signature(String secretKey, SigV4Authorization auth, String stringToSign) {
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    static String canonicalUri(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty()
                ? "/"
                : URI.create(rawPath).normalize().getRawPath();
        return UriEncoding.encode(path.isEmpty() ? "/" : path, true);
    }

    static String canonicalQuery(String rawQuery) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (Map.Entry<String, String> param : UriEncoding.queryParameters(rawQuery)) {
            pairs.add(
                    Map.entry(UriEncoding.encode(param.getKey(), false), UriEncoding.encode(param.getValue(), false)));
        }
        // By encoded name, then encoded value (repeated names), in code-point order.
        pairs.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> pair : pairs) {
            out.append(out.isEmpty() ? "" : "&")
                    .append(pair.getKey())
                    .append('=')
                    .append(pair.getValue());
        }
        return out.toString();
    }

    private static String canonicalHeaders(RawRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers().get(name.toLowerCase(Locale.ROOT));
            List<String> normalised = new ArrayList<>();
            if (values != null) {
                values.forEach(v -> normalised.add(v.trim().replaceAll(" +", " ")));
            }
            out.append(name.toLowerCase(Locale.ROOT))
                    .append(':')
                    .append(String.join(",", normalised))
                    .append('\n');
        }
        return out.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
