package io.fleetprov.emulator.it;

import io.fleetprov.emulator.IotEmulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.iot.IotClient;

/** Official aws-sdk-java-v2 clients pointed at an emulator, as an application would configure them. */
final class AwsClients {

    static final String DUMMY_KEY = "AKIDEMULATOR";
    static final String DUMMY_SECRET = "dummy-secret";

    private AwsClients() {}

    static IotClient iot(IotEmulator emulator) {
        return iot(emulator, DUMMY_KEY, DUMMY_SECRET);
    }

    static IotClient iot(IotEmulator emulator, String accessKey, String secret) {
        return IotClient.builder()
                .endpointOverride(URI.create(emulator.httpUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                // Tests look at the first answer; retries would only hide throttling and slow failures down.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /**
     * For the PATCH operations (UpdateProvisioningTemplate, UpdateEventConfigurations): UrlConnectionHttpClient
     * cannot send PATCH ({@code HttpURLConnection} refuses the method), so these go through the JDK's HttpClient.
     * Marshalling and signing are still the SDK's own.
     */
    static IotClient iotWithPatch(IotEmulator emulator) {
        return IotClient.builder()
                .endpointOverride(URI.create(emulator.httpUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(DUMMY_KEY, DUMMY_SECRET)))
                .httpClient(new JdkHttpClient())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static CognitoIdentityProviderClient cognito(IotEmulator emulator) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(emulator.httpUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(DUMMY_KEY, DUMMY_SECRET)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A minimal SdkHttpClient on java.net.http, which supports every method. */
    static final class JdkHttpClient implements SdkHttpClient {

        /** Headers java.net.http sets itself and refuses from callers; it sets them to the same values. */
        private static final Set<String> RESTRICTED =
                Set.of("host", "content-length", "connection", "expect", "upgrade");

        private final HttpClient http = HttpClient.newHttpClient();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    SdkHttpRequest sdk = request.httpRequest();
                    byte[] body = request.contentStreamProvider()
                            .map(p -> {
                                try (InputStream in = p.newStream()) {
                                    return in.readAllBytes();
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                            .orElse(new byte[0]);
                    HttpRequest.Builder builder = HttpRequest.newBuilder(sdk.getUri())
                            .method(
                                    sdk.method().name(),
                                    body.length == 0
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(body));
                    sdk.forEachHeader((name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase())) {
                            values.forEach(v -> builder.header(name, v));
                        }
                    });
                    HttpResponse<byte[]> response;
                    try {
                        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    SdkHttpFullResponse.Builder out =
                            SdkHttpFullResponse.builder().statusCode(response.statusCode());
                    response.headers().map().forEach(out::putHeader);
                    return HttpExecuteResponse.builder()
                            .response(out.build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body())))
                            .build();
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public void close() {}
    }
}
