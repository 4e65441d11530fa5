package io.fleetprov.claims.client;

import io.fleetprov.claims.config.ClaimServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iot.IotAsyncClient;
import software.amazon.awssdk.services.iot.model.CreateProvisioningClaimResponse;

/**
 * CreateProvisioningClaim (and DescribeEndpoint) through the SDK, on the caller's (worker) thread, which waits for the
 * answer. The bulkhead and rate limit are service-wide: they keep this service under the account's quota however
 * many installers ask at once ({@code fleetprov.aws.create-claim.*}).
 */
@ApplicationScoped
public class IotClaimClient {

    private static final Set<String> UNAVAILABLE = Set.of(
            "ThrottlingException", "ServiceUnavailableException", "InternalFailureException", "LimitExceededException");

    private final IotAsyncClient iot;
    private final ClaimServiceConfig config;
    private final MeterRegistry registry;
    private final CallLimits createClaimLimits;
    private final AtomicReference<String> iotEndpoint = new AtomicReference<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public IotClaimClient(IotAsyncClient iot, ClaimServiceConfig config, MeterRegistry registry) {
        this.iot = iot;
        this.config = config;
        this.registry = registry;
        ClaimServiceConfig.CreateClaim limits = config.aws().createClaim();
        this.createClaimLimits = new CallLimits(
                "CreateProvisioningClaim",
                limits.bulkhead(),
                limits.bulkheadWaitingQueue(),
                limits.rateLimit(),
                limits.rateLimitWindow());
    }

    /**
     * Blocks the calling thread until AWS answered (within {@code fleetprov.aws.call-deadline}); throws
     * {@link CallLimitException} at once when the service-wide limits are reached, {@link AwsUnavailableException}
     * or {@link AwsRejectedException} when AWS failed.
     */
    public IssuedClaim createProvisioningClaim(String templateName) {
        CallLimits.Permit permit = createClaimLimits.enter();
        try {
            return toClaim(timed(
                    "CreateProvisioningClaim", () -> iot.createProvisioningClaim(r -> r.templateName(templateName))));
        } finally {
            permit.close();
        }
    }

    /** The MQTT endpoint devices connect to: configured, or asked of AWS once. Blocks the calling thread. */
    public String iotEndpoint() {
        String known = config.aws().iotEndpoint().orElse(iotEndpoint.get());
        if (known != null) {
            return known;
        }
        String asked = timed("DescribeEndpoint", () -> iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")))
                .endpointAddress();
        iotEndpoint.set(asked);
        return asked;
    }

    private <T> T timed(String operation, Supplier<CompletableFuture<T>> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "rejected";
        try {
            T answer = call.get().join();
            outcome = "success";
            return answer;
        } catch (RuntimeException e) {
            RuntimeException failure = classify(e);
            if (failure instanceof AwsUnavailableException) {
                outcome = "unavailable";
            }
            throw failure;
        } finally {
            sample.stop(timer(operation, outcome));
        }
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
