package io.fleetprov.claims.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.iot.IotAsyncClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ListThingPrincipalsResponse;

/**
 * The IoT registry calls that retire a replaced device: a thing's principals, a certificate set INACTIVE, a
 * principal detached. Blocking (they run on the replacement job's worker thread); each call is bounded by the
 * client's API-call deadline and retried by its retry strategy. Failures are {@link AwsUnavailableException} or
 * {@link AwsRejectedException}, as for claims.
 */
@ApplicationScoped
public class IotThingClient {

    private final IotAsyncClient iot;

    public IotThingClient(IotAsyncClient iot) {
        this.iot = iot;
    }

    /** Principal ARNs attached to the thing (ListThingPrincipals, every page); empty if there is no such thing. */
    public List<String> principals(String thingName) {
        List<String> all = new ArrayList<>();
        try {
            String next = null;
            do {
                String token = next;
                ListThingPrincipalsResponse page =
                        join(iot.listThingPrincipals(r -> r.thingName(thingName).nextToken(token)));
                all.addAll(page.principals());
                next = page.nextToken();
            } while (next != null);
            return all;
        } catch (AwsRejectedException e) {
            if ("ResourceNotFoundException".equals(e.errorCode())) {
                return List.of();
            }
            throw e;
        }
    }

    /** UpdateCertificate to INACTIVE: the certificate no longer connects. */
    public void deactivate(String certificateId) {
        join(iot.updateCertificate(r -> r.certificateId(certificateId).newStatus(CertificateStatus.INACTIVE)));
    }

    /** DetachThingPrincipal; a principal already detached counts as detached. */
    public void detach(String thingName, String principalArn) {
        try {
            join(iot.detachThingPrincipal(r -> r.thingName(thingName).principal(principalArn)));
        } catch (AwsRejectedException e) {
            if (!"ResourceNotFoundException".equals(e.errorCode())) {
                throw e;
            }
        }
    }

    /** {@code arn:aws:iot:REGION:ACCOUNT:cert/ID} → ID; null for principals that are not certificates. */
    public static String certificateId(String principalArn) {
        int at = principalArn.indexOf(":cert/");
        return at < 0 ? null : principalArn.substring(at + ":cert/".length());
    }

    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            throw IotClaimClient.classify(e);
        }
    }
}
