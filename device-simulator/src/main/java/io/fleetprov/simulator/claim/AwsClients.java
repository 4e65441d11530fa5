package io.fleetprov.simulator.claim;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.iot.IotAsyncClient;

/**
 * Builds the AWS SDK clients the same way for AWS and for the emulator: only the endpoint override, region and
 * credentials differ. The SDK's own retries are off because the simulator retries throttling itself, with jitter,
 * and counts each throttled attempt.
 *
 * @param endpointOverride null for AWS's regional endpoint
 * @param region           null for the default region chain (AWS_REGION, profile, …)
 * @param emulator         true to sign with fixed local credentials: the emulator checks no signatures, and a
 *                         machine running it need not have AWS credentials
 */
public record AwsClients(URI endpointOverride, String region, boolean emulator, int maxConcurrency) {

    public IotAsyncClient iot() {
        return configure(IotAsyncClient.builder()).build();
    }

    public CognitoIdentityProviderAsyncClient cognito() {
        return configure(CognitoIdentityProviderAsyncClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(httpClient())
                .credentialsProvider(credentials())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder;
    }

    private SdkAsyncHttpClient httpClient() {
        return NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Math.max(16, maxConcurrency))
                .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** The credentials every client signs with. */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials();
    }

    private AwsCredentialsProvider credentials() {
        return emulator
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("fleetprov", "fleetprov"))
                : DefaultCredentialsProvider.builder().build();
    }
}
