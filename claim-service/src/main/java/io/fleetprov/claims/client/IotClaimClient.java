package io.fleetprov.claims.client;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.RateLimit;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iot.IotAsyncClient;
import software.amazon.awssdk.services.iot.model.CreateProvisioningClaimResponse;

/**
 * CreateProvisioningClaim (and DescribeEndpoint) through the SDK. The bulkhead and rate limit are service-wide: they
 * keep this service under the account's quota however many installers ask at once; their limits are configurable
 * with the usual {@code quarkus.fault-tolerance."io.fleetprov.claims.client.IotClaimClient/createProvisioningClaim"}
 * keys.
 */
@ApplicationScoped
public class IotClaimClient {

    private static final Set<String> UNAVAILABLE = Set.of(
            "ThrottlingException", "ServiceUnavailableException", "InternalFailureException", "LimitExceededException");

    private final IotAsyncClient iot;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;
    private final AtomicReference<String> iotEndpoint = new AtomicReference<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public IotClaimClient(IotAsyncClient iot, ClaimServiceConfig config, MeterRegistry registry) {
        this.iot = iot;
        this.config = config;
        this.registry = registry;
    }

    @AsynchronousNonBlocking
    @Bulkhead(value = 16, waitingTaskQueue = 8)
    @RateLimit(value = 50, window = 1, windowUnit = ChronoUnit.SECONDS)
    public Uni<IssuedClaim> createProvisioningClaim(String templateName) {
        return timed(
                "CreateProvisioningClaim",
                Uni.createFrom()
                        .completionStage(() -> iot.createProvisioningClaim(r -> r.templateName(templateName)))
                        .map(IotClaimClient::toClaim));
    }

    /** The MQTT endpoint devices connect to: configured, or asked of AWS once. */
    public Uni<String> iotEndpoint() {
        String known = config.aws().iotEndpoint().orElse(iotEndpoint.get());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return timed(
                "DescribeEndpoint",
                Uni.createFrom()
                        .completionStage(() -> iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")))
                        .map(r -> {
                            iotEndpoint.set(r.endpointAddress());
                            return r.endpointAddress();
                        }));
    }

    private <T> Uni<T> timed(String operation, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return call.onFailure()
                    .transform(IotClaimClient::classify)
                    .onItemOrFailure()
                    .invoke((item, failure) -> sample.stop(timer(
                            operation,
                            failure == null
                                    ? "success"
                                    : failure instanceof AwsUnavailableException ? "unavailable" : "rejected")));
        });
    }

    /** Looked up once per operation and outcome: building and registering a timer per call is not free. */
    private Timer timer(String operation, String outcome) {
        return timers.computeIfAbsent(
                operation + '/' + outcome,
                key -> Timer.builder("fleetprov.aws.call")
                        .description("Latency of AWS IoT control-plane calls, retries included")
                        .tag("operation", operation)
                        .tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry));
    }

    private static IssuedClaim toClaim(CreateProvisioningClaimResponse r) {
        return new IssuedClaim(
                r.certificateId(),
                r.certificatePem(),
                r.keyPair().publicKey(),
                r.keyPair().privateKey(),
                r.expiration());
    }

    static RuntimeException classify(Throwable failure) {
        Throwable t =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ((code != null && UNAVAILABLE.contains(code)) || e.isThrottlingException() || e.statusCode() >= 500) {
                return new AwsUnavailableException("AWS IoT is unavailable: " + code, e);
            }
            return new AwsRejectedException(code, "AWS IoT refused the request: " + code, e);
        }
        if (t instanceof ApiCallTimeoutException
                || t instanceof ApiCallAttemptTimeoutException
                || t instanceof SdkClientException) {
            return new AwsUnavailableException("AWS IoT did not answer in time", t);
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
