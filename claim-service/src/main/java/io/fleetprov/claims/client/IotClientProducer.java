package io.fleetprov.claims.client;

import io.fleetprov.claims.config.ClaimServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientAsyncConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.iot.IotAsyncClient;
import software.amazon.awssdk.services.iot.IotAsyncClientBuilder;

/**
 * The IoT control-plane client: default credential and region chains, an endpoint override for the emulator, and
 * the SDK's own standard retry strategy tuned to retry throttling with full-jitter exponential backoff, all within
 * one API-call deadline.
 */
@ApplicationScoped
public class IotClientProducer {

    @Produces
    @Singleton
    IotAsyncClient iotClient(ClaimServiceConfig config) {
        ClaimServiceConfig.Aws aws = config.aws();
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(aws.backoffBase(), aws.backoffMax());
        IotAsyncClientBuilder builder = IotAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                // The SDK completes every call's future on its own thread pool, in case the caller's continuation
                // blocks. Ours never does: they map the answer and hand over to a worker thread (ClaimService), or a
                // thread waits in join() (IotThingClient). Completing on the Netty thread saves a thread hop per call.
                .asyncConfiguration(ClientAsyncConfiguration.builder()
                        .advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run)
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(aws.callDeadline())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(aws.maxAttempts())
                                .backoffStrategy(backoff)
                                .throttlingBackoffStrategy(backoff)
                                // The service-wide limiter already keeps us under the quota; a client-side
                                // circuit breaker would turn a burst of throttling into failures without retrying.
                                .circuitBreakerEnabled(false)
                                .build())
                        .build());
        aws.endpointOverride().ifPresent(builder::endpointOverride);
        aws.region().map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

    void close(@Disposes IotAsyncClient client) {
        client.close();
    }
}
