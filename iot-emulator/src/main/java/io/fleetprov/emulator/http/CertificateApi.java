package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.Json.epochSeconds;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fleetprov.emulator.ca.CertificateAuthority;
import io.fleetprov.emulator.ca.CsrValidator;
import io.fleetprov.emulator.ca.InvalidCsrException;
import io.fleetprov.emulator.ca.Pem;
import io.fleetprov.emulator.provisioning.FleetProvisioningService;
import io.fleetprov.emulator.registry.CertificateRecord;
import io.fleetprov.emulator.registry.CertificateStatus;
import io.fleetprov.emulator.registry.ErrorType;
import io.fleetprov.emulator.registry.Registry;
import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * Certificates (AWS IoT API, {@code /certificates}, {@code /keys-and-certificate}, {@code /certificate/register*}).
 * Claims stay out of the list, as on AWS. Certificates made here are user-managed: whatever they may do comes from
 * the policies attached to them, which is how a user-managed fleet-provisioning claim is built.
 */
final class CertificateApi {

    private final Registry registry;
    private final FleetProvisioningService issuer;
    private final CertificateAuthority ca;
    private final Clock clock;

    CertificateApi(Registry registry, FleetProvisioningService issuer, CertificateAuthority ca, Clock clock) {
        this.registry = registry;
        this.issuer = issuer;
        this.ca = ca;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/keys-and-certificate", "CreateKeysAndCertificate", this::createKeysAndCertificate),
                Route.of("POST", "/certificates", "CreateCertificateFromCsr", this::createFromCsr),
                Route.of("POST", "/certificate/register", "RegisterCertificate", this::register),
                Route.of(
                        "POST", "/certificate/register-no-ca", "RegisterCertificateWithoutCA", this::registerWithoutCa),
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

    /** AWS capitalises the members of {@code keyPair}, unlike everything else in the response. */
    record KeyPairBody(
            @JsonProperty("PublicKey") String publicKey,
            @JsonProperty("PrivateKey") String privateKey) {
        @Override
        public String toString() {
            return "KeyPair[PublicKey, PrivateKey=<redacted>]";
        }
    }

    record KeysAndCertificateResponse(
            String certificateArn, String certificateId, String certificatePem, KeyPairBody keyPair) {}

    record CsrRequest(String certificateSigningRequest) {}

    record CertificateResponse(String certificateArn, String certificateId, String certificatePem) {}

    record RegisterRequest(String certificatePem, String caCertificatePem, String status) {}

    record RegisterResponse(String certificateArn, String certificateId) {}

    private Object createKeysAndCertificate(ApiRequest request) {
        // The model has no request body; some clients send {} and that must be as fine as nothing.
        request.body(RegisterRequest.class);
        CertificateStatus status = activeOrInactive(request);
        KeyPair keyPair = issuer.newKeyPair();
        CertificateRecord c = issuer.issueDeviceCertificate(keyPair.getPublic(), status);
        return new KeysAndCertificateResponse(
                c.certificateArn(),
                c.certificateId(),
                c.certificatePem(),
                new KeyPairBody(Pem.publicKey(keyPair.getPublic()), Pem.privateKey(keyPair)));
    }

    private Object createFromCsr(ApiRequest request) {
        String csr = ApiRequest.required(
                request.body(CsrRequest.class).certificateSigningRequest(), "certificateSigningRequest");
        CertificateStatus status = activeOrInactive(request);
        PublicKey key;
        try {
            key = CsrValidator.validate(csr);
        } catch (InvalidCsrException e) {
            throw AwsException.invalidRequest("Invalid certificate signing request: " + e.getMessage());
        }
        CertificateRecord c = issuer.issueDeviceCertificate(key, status);
        return new CertificateResponse(c.certificateArn(), c.certificateId(), c.certificatePem());
    }

    /**
     * RegisterCertificate: the certificate must be signed by a registered CA. The emulator's own CA is the one
     * registered CA; a {@code caCertificatePem} given with the request must have signed the certificate.
     */
    private Object register(ApiRequest request) {
        RegisterRequest body = request.body(RegisterRequest.class);
        X509Certificate certificate = parse(ApiRequest.required(body.certificatePem(), "certificatePem"));
        if (body.caCertificatePem() != null) {
            X509Certificate caCertificate = parse(body.caCertificatePem());
            if (!signedBy(certificate, caCertificate.getPublicKey())) {
                throw new AwsException(
                        ErrorType.CertificateValidationException,
                        "The certificate is not signed by the given CA certificate");
            }
            if (!caCertificate.equals(ca.certificate())) {
                throw new AwsException(
                        ErrorType.ResourceNotFoundException, "The CA certificate is not registered with this account");
            }
        } else if (!ca.issued(certificate)) {
            throw new AwsException(
                    ErrorType.CertificateValidationException,
                    "The certificate's CA is not registered; use RegisterCertificateWithoutCA");
        }
        CertificateStatus status =
                request.boolQuery("setAsActive", false) ? CertificateStatus.ACTIVE : registrationStatus(body.status());
        // Both branches above verified the CA's signature on this exact certificate.
        return registered(certificate, status, true);
    }

    /** RegisterCertificateWithoutCA (multi-account registration): any CA, valid dates. */
    private Object registerWithoutCa(ApiRequest request) {
        RegisterRequest body = request.body(RegisterRequest.class);
        X509Certificate certificate = parse(ApiRequest.required(body.certificatePem(), "certificatePem"));
        return registered(certificate, registrationStatus(body.status()), false);
    }

    private RegisterResponse registered(X509Certificate certificate, CertificateStatus status, boolean signedByCa) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new AwsException(
                    ErrorType.CertificateValidationException, "The certificate is expired or not yet valid");
        }
        CertificateRecord c = signedByCa
                ? registry.certificates().registerIssued(certificate, status, null)
                : registry.certificates().register(certificate, status, null);
        return new RegisterResponse(c.certificateArn(), c.certificateId());
    }

    private static CertificateStatus activeOrInactive(ApiRequest request) {
        return request.boolQuery("setAsActive", false) ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE;
    }

    /** AWS registers certificates INACTIVE unless told otherwise; only these three states may be asked for. */
    private static CertificateStatus registrationStatus(String status) {
        if (status == null) {
            return CertificateStatus.INACTIVE;
        }
        return switch (status) {
            case "ACTIVE" -> CertificateStatus.ACTIVE;
            case "INACTIVE" -> CertificateStatus.INACTIVE;
            case "REVOKED" -> CertificateStatus.REVOKED;
            default -> throw AwsException.invalidRequest("Invalid status for a registered certificate: " + status);
        };
    }

    private static X509Certificate parse(String pem) {
        try {
            return Pem.parseCertificate(pem);
        } catch (IllegalArgumentException e) {
            throw new AwsException(ErrorType.CertificateValidationException, "The certificate PEM is malformed");
        }
    }

    private static boolean signedBy(X509Certificate certificate, PublicKey key) {
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

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
