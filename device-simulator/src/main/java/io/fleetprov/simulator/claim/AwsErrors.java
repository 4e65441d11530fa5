package io.fleetprov.simulator.claim;

import io.fleetprov.simulator.client.DeviceException;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns SDK failures into {@link DeviceException}s that carry AWS's error code and HTTP status. */
final class AwsErrors {

    private AwsErrors() {}

    static DeviceException translate(Throwable error, String operation) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null
                    ? aws.awsErrorDetails().errorCode()
                    : "HTTP" + aws.statusCode();
            return new DeviceException(code, aws.statusCode(), operation + ": " + aws.getMessage(), aws);
        }
        if (cause instanceof SdkClientException sdk) {
            return new DeviceException(DeviceException.CLIENT_ERROR, operation + ": " + sdk.getMessage(), sdk);
        }
        if (cause instanceof DeviceException device) {
            return device;
        }
        return new DeviceException(DeviceException.CLIENT_ERROR, operation + ": " + cause, cause);
    }
}
