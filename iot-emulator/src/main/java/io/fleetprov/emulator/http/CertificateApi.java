package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.Json.epochSeconds;

import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.Registry;
import java.math.BigDecimal;
import java.util.List;

/** Certificates (AWS IoT API, {@code /certificates}). Claims stay out of the list, as on AWS. */
final class CertificateApi {

    private final Registry registry;

    CertificateApi(Registry registry) {
        this.registry = registry;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/certificates/{certificateId}", "DescribeCertificate", this::describe),
                Route.of("GET", "/certificates", "ListCertificates", this::list),
                Route.of("PUT", "/certificates/{certificateId}", "UpdateCertificate", this::update),
                Route.of("DELETE", "/certificates/{certificateId}", "DeleteCertificate", this::delete));
    }

    record Validity(BigDecimal notBefore, BigDecimal notAfter) {}

    record Description(
            String certificateArn,
            String certificateId,
            String status,
            String certificatePem,
            String ownedBy,
            BigDecimal creationDate,
            BigDecimal lastModifiedDate,
            Integer customerVersion,
            String generationId,
            Validity validity,
            String certificateMode) {}

    record DescribeResponse(Description certificateDescription) {}

    record Summary(
            String certificateArn,
            String certificateId,
            String status,
            String certificateMode,
            BigDecimal creationDate) {}

    record ListResponse(List<Summary> certificates, String nextMarker) {}

    private Object describe(ApiRequest request) {
        CertificateRecord c = registry.certificates().get(request.path("certificateId"));
        return new DescribeResponse(new Description(
                c.certificateArn(),
                c.certificateId(),
                c.status().name(),
                c.certificatePem(),
                registry.arns().accountId(),
                epochSeconds(c.creationDate()),
                epochSeconds(c.lastModifiedDate()),
                1,
                // Changes whenever the certificate does, which is what AWS's generationId is for.
                Long.toHexString(c.lastModifiedDate().toEpochMilli()),
                new Validity(epochSeconds(c.notBefore()), epochSeconds(c.notAfter())),
                "DEFAULT"));
    }

    private Object list(ApiRequest request) {
        var page = Pagination.page(
                registry.certificates().list(request.boolQuery("isAscendingOrder", false)),
                request.query("marker"),
                request.intQuery("pageSize", 1, Pagination.MAX_PAGE_SIZE));
        return new ListResponse(
                page.items().stream()
                        .map(c -> new Summary(
                                c.certificateArn(),
                                c.certificateId(),
                                c.status().name(),
                                "DEFAULT",
                                epochSeconds(c.creationDate())))
                        .toList(),
                page.nextToken());
    }

    private Object update(ApiRequest request) {
        String newStatus = request.requiredQuery("newStatus");
        CertificateStatus status;
        try {
            status = CertificateStatus.valueOf(newStatus);
        } catch (IllegalArgumentException e) {
            throw AwsException.invalidRequest("Invalid newStatus: " + newStatus);
        }
        registry.certificates().updateStatus(request.path("certificateId"), status);
        return null;
    }

    private Object delete(ApiRequest request) {
        registry.deleteCertificate(request.path("certificateId"), request.boolQuery("forceDelete", false));
        return null;
    }
}
