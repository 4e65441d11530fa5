package io.fleetprov.emulator.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs the emulator commands' own HTTP calls with SigV4 (signing name {@code iot}), using the SDK's signer and
 * the credentials of the standard environment variables, so that they pass an emulator in strict mode
 * ({@code --access-key}). Without {@code AWS_ACCESS_KEY_ID} the calls stay unsigned, which a lenient emulator
 * accepts: the local default needs no credentials.
 */
final class EnvironmentSigner {

    private final Optional<AwsCredentialsIdentity> credentials;
    private final String region;

    EnvironmentSigner(Map<String, String> environment, String region) {
        this.credentials = credentials(environment);
        this.region = region;
    }

    private static Optional<AwsCredentialsIdentity> credentials(Map<String, String> environment) {
        String id = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String token = environment.get("AWS_SESSION_TOKEN");
        return Optional.of(
                token == null || token.isBlank()
                        ? AwsCredentialsIdentity.create(id, secret)
                        : AwsSessionCredentialsIdentity.create(id, secret, token));
    }

    boolean signs() {
        return credentials.isPresent();
    }

    /** A POST of {@code body} as JSON to {@code uri}, signed when credentials are set. */
    HttpRequest post(URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        credentials.ifPresent(identity -> sign(identity, uri, body).forEach((name, values) -> {
            // The JDK client sets Host and Content-Length itself, to the values the signature covers.
            // setHeader: Content-Type is already there, and a second value would break the signature.
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                builder.setHeader(name, String.join(",", values));
            }
        }));
        return builder.build();
    }

    private Map<String, List<String>> sign(AwsCredentialsIdentity identity, URI uri, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .uri(uri)
                .method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/json")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iot")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        return signed.request().headers();
    }
}
