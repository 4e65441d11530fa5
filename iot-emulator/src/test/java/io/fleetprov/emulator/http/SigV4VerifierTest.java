package io.fleetprov.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The verifier against requests signed by aws-sdk-java-v2's own SigV4 signer. */
class SigV4VerifierTest {

    private static final String KEY = "AKIDUNITTEST";
    private static final String SECRET = "unit-test-secret";
    private static final List<String> IOT = RequestDispatcher.IOT_SERVICES;

    private final SigV4Verifier strict = new SigV4Verifier(Map.of(KEY, SECRET), "us-east-1", Clock.systemUTC());
    private final SigV4Verifier lenient = new SigV4Verifier(Map.of(), "us-east-1", Clock.systemUTC());

    @Test
    void acceptsTheSdkSignatureForBothIotSigningNames() {
        for (String service : IOT) {
            RawRequest request = signed(
                    "POST",
                    "/things/my-thing",
                    Map.of(),
                    "{\"thingTypeName\":\"t\"}",
                    service,
                    "us-east-1",
                    SECRET,
                    Clock.systemUTC());
            assertThatCode(() -> strict.verify(request, IOT, false)).as(service).doesNotThrowAnyException();
        }
    }

    @Test
    void acceptsEncodedPathLabelsAndAwkwardQueryParameters() {
        String arn = "arn:aws:iot:us-east-1:123456789012:cert/" + "ab".repeat(32);
        Map<String, String> query = new HashMap<>();
        query.put("attributeName", "a b");
        query.put("attributeValue", "c+d/e*~");
        query.put("maxResults", "10");
        query.put("nextToken", "x=y");
        RawRequest request = signed(
                "POST",
                "/attached-policies/" + UriEncoding.encode(arn, false),
                query,
                "",
                "iot",
                "us-east-1",
                SECRET,
                Clock.systemUTC());
        assertThatCode(() -> strict.verify(request, IOT, false)).doesNotThrowAnyException();
    }

    @Test
    void refusesAWrongSecretAndATamperedRequest() {
        RawRequest wrongSecret = signed("GET", "/things", Map.of(), "", "iot", "us-east-1", "other", Clock.systemUTC());
        assertThatThrownBy(() -> strict.verify(wrongSecret, IOT, false))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.errorType()).isEqualTo("InvalidSignatureException");
                });

        RawRequest original = signed(
                "POST",
                "/policies/p",
                Map.of(),
                "{\"policyDocument\":\"{}\"}",
                "iot",
                "us-east-1",
                SECRET,
                Clock.systemUTC());
        RawRequest tampered = new RawRequest(
                original.method(),
                original.rawPath(),
                original.rawQuery(),
                original.headers(),
                "{\"policyDocument\":\"{ }\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> strict.verify(tampered, IOT, false)).isInstanceOf(AwsException.class);
        RawRequest otherPath = new RawRequest(
                original.method(), "/policies/q", original.rawQuery(), original.headers(), original.body());
        assertThatThrownBy(() -> strict.verify(otherPath, IOT, false))
                .hasMessageContaining("signature we calculated does not match");
    }

    @Test
    void refusesUnknownKeysWrongScopesStaleDatesAndMissingSignatures() {
        SigV4Verifier otherKey = new SigV4Verifier(Map.of("AKIDOTHER", SECRET), "us-east-1", Clock.systemUTC());
        RawRequest request = signed("GET", "/things", Map.of(), "", "iot", "us-east-1", SECRET, Clock.systemUTC());
        assertThatThrownBy(() -> otherKey.verify(request, IOT, false))
                .isInstanceOfSatisfying(
                        AwsException.class, e -> assertThat(e.errorType()).isEqualTo("UnrecognizedClientException"));

        RawRequest wrongRegion = signed("GET", "/things", Map.of(), "", "iot", "eu-west-1", SECRET, Clock.systemUTC());
        assertThatThrownBy(() -> strict.verify(wrongRegion, IOT, false)).hasMessageContaining("valid region");

        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        RawRequest stale = signed("GET", "/things", Map.of(), "", "iot", "us-east-1", SECRET, anHourAgo);
        assertThatThrownBy(() -> strict.verify(stale, IOT, false)).hasMessageContaining("Signature expired");

        RawRequest unsigned = new RawRequest("GET", "/things", "", Map.of(), new byte[0]);
        assertThatThrownBy(() -> strict.verify(unsigned, IOT, false))
                .isInstanceOfSatisfying(
                        AwsException.class,
                        e -> assertThat(e.errorType()).isEqualTo("MissingAuthenticationTokenException"));
        assertThatCode(() -> strict.verify(unsigned, IOT, true)).doesNotThrowAnyException();
    }

    @Test
    void lenientModeChecksOnlyTheService() {
        RawRequest wrongSecret = signed("GET", "/things", Map.of(), "", "iot", "eu-west-1", "other", Clock.systemUTC());
        assertThatCode(() -> lenient.verify(wrongSecret, IOT, false)).doesNotThrowAnyException();
        assertThatCode(() -> lenient.verify(new RawRequest("GET", "/things", "", Map.of(), new byte[0]), IOT, false))
                .doesNotThrowAnyException();

        RawRequest s3 = signed("GET", "/things", Map.of(), "", "s3", "us-east-1", SECRET, Clock.systemUTC());
        assertThatThrownBy(() -> lenient.verify(s3, IOT, false)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.errorType()).isEqualTo("InvalidSignatureException");
            assertThat(e.getMessage()).isEqualTo("Credential should be scoped to correct service: 'iot'.");
        });
        assertThatThrownBy(() -> strict.verify(s3, IOT, false)).hasMessageContaining("correct service: 'iot'");
    }

    @Test
    void canonicalQuerySortsByEncodedNameThenValue() {
        assertThat(SigV4Canonicalizer.canonicalQuery("b=2&a-b=1&a=3&a=1&c")).isEqualTo("a=1&a=3&a-b=1&b=2&c=");
        assertThat(SigV4Canonicalizer.canonicalQuery("x=a%20b&y=c%2Bd")).isEqualTo("x=a%20b&y=c%2Bd");
    }

    /** Signs with the SDK's signer and turns the result into what the server would receive. */
    private static RawRequest signed(
            String method,
            String encodedPath,
            Map<String, String> query,
            String body,
            String service,
            String region,
            String secret,
            Clock clock) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create("http://127.0.0.1:4566"))
                .encodedPath(encodedPath)
                .putHeader("Content-Type", "application/json")
                .putHeader("x-amzn-principal", "arn:aws:iot:us-east-1:123456789012:cert/abc");
        query.forEach(builder::putRawQueryParameter);
        var signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(KEY, secret))
                        .request(builder.build())
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> headers = new HashMap<>();
        signed.request()
                .forEachHeader(
                        (name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                                .addAll(values));
        headers.putIfAbsent("host", List.of("127.0.0.1:4566"));
        String rawQuery = signed.request().encodedQueryParameters().orElse("");
        return new RawRequest(
                method, signed.request().encodedPath(), rawQuery, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
