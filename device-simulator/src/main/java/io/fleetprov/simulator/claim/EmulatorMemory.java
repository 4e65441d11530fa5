package io.fleetprov.simulator.claim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.protocol.memory.ProcessMemory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Asks a running emulator what it holds in memory ({@code GET /_emulator/memory}: heap after full collections,
 * resident set, MQTT connections), signed like the simulator's SDK calls so that a strict emulator answers too.
 * Only the emulator has this; against AWS there is nothing to ask.
 */
public final class EmulatorMemory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final AwsCredentialsIdentity identity;
    private final String region;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public EmulatorMemory(AwsClients aws) {
        this.uri = URI.create(aws.endpointOverride().toString().replaceAll("/+$", "") + "/_emulator/memory");
        var credentials = aws.credentialsProvider().resolveCredentials();
        this.identity = AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey());
        this.region = aws.region() == null ? "us-east-1" : aws.region();
    }

    /** The emulator's memory now, or empty (and why on stderr) when it cannot be asked, e.g. an older emulator. */
    public Optional<ProcessMemory> measure() {
        SdkHttpRequest unsigned =
                SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iot")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(60));
        signed.request().headers().forEach((name, values) -> {
            // The JDK client sets Host itself, to the value the signature covers.
            if (!name.equalsIgnoreCase("host")) {
                request.setHeader(name, String.join(",", values));
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.printf(
                        "fleetprov simulate: the emulator did not report its memory (HTTP %d)%n",
                        response.statusCode());
                return Optional.empty();
            }
            return Optional.of(JSON.readValue(response.body(), ProcessMemory.class));
        } catch (IOException e) {
            System.err.printf("fleetprov simulate: the emulator did not report its memory: %s%n", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
