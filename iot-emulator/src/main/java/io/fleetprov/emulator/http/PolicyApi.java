package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.ApiRequest.required;
import static io.fleetprov.emulator.http.Json.epochSeconds;

import io.fleetprov.emulator.registry.Policy;
import io.fleetprov.emulator.registry.PolicyVersion;
import io.fleetprov.emulator.registry.Registry;
import java.math.BigDecimal;
import java.util.List;

/**
 * IoT policies, their versions (at most five, AWS's limit) and their attachment to certificates (AWS IoT API,
 * {@code /policies}, {@code /target-policies}). The broker judges by each policy's default version.
 */
final class PolicyApi {

    private final Registry registry;

    PolicyApi(Registry registry) {
        this.registry = registry;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/policies/{policyName}", "CreatePolicy", this::create),
                Route.of("GET", "/policies/{policyName}", "GetPolicy", this::get),
                Route.of("GET", "/policies", "ListPolicies", this::list),
                Route.of("DELETE", "/policies/{policyName}", "DeletePolicy", this::delete),
                Route.of("POST", "/policies/{policyName}/version", "CreatePolicyVersion", this::createVersion),
                Route.of("GET", "/policies/{policyName}/version", "ListPolicyVersions", this::listVersions),
                Route.of("GET", "/policies/{policyName}/version/{policyVersionId}", "GetPolicyVersion", this::version),
                Route.of(
                        "PATCH",
                        "/policies/{policyName}/version/{policyVersionId}",
                        "SetDefaultPolicyVersion",
                        this::setDefault),
                Route.of(
                        "DELETE",
                        "/policies/{policyName}/version/{policyVersionId}",
                        "DeletePolicyVersion",
                        this::deleteVersion),
                Route.of("PUT", "/target-policies/{policyName}", "AttachPolicy", this::attach),
                Route.of("POST", "/target-policies/{policyName}", "DetachPolicy", this::detach),
                Route.of("POST", "/attached-policies/{target}", "ListAttachedPolicies", this::listAttached));
    }

    record CreateRequest(String policyDocument) {}

    record CreateResponse(String policyName, String policyArn, String policyDocument, String policyVersionId) {}

    record GetResponse(
            String policyName,
            String policyArn,
            String policyDocument,
            String defaultVersionId,
            BigDecimal creationDate,
            BigDecimal lastModifiedDate,
            String generationId) {}

    record TargetRequest(String target) {}

    record ListResponse(List<PolicySummary> policies, String nextMarker) {}

    record CreateVersionResponse(
            String policyArn, String policyDocument, String policyVersionId, Boolean isDefaultVersion) {}

    record VersionSummary(String versionId, Boolean isDefaultVersion, BigDecimal createDate) {}

    record ListVersionsResponse(List<VersionSummary> policyVersions) {}

    record GetVersionResponse(
            String policyArn,
            String policyName,
            String policyDocument,
            String policyVersionId,
            Boolean isDefaultVersion,
            BigDecimal creationDate,
            BigDecimal lastModifiedDate,
            String generationId) {}

    record PolicySummary(String policyName, String policyArn) {}

    record ListAttachedResponse(List<PolicySummary> policies, String nextMarker) {}

    private Object create(ApiRequest request) {
        CreateRequest body = request.body(CreateRequest.class);
        Policy p = registry.policies()
                .create(request.path("policyName"), required(body.policyDocument(), "policyDocument"));
        return new CreateResponse(p.policyName(), p.policyArn(), p.policyDocument(), p.versionId());
    }

    private Object get(ApiRequest request) {
        Policy p = registry.policies().get(request.path("policyName"));
        return new GetResponse(
                p.policyName(),
                p.policyArn(),
                p.policyDocument(),
                p.versionId(),
                epochSeconds(p.creationDate()),
                epochSeconds(p.lastModifiedDate()),
                generation(p));
    }

    /** Changes whenever the policy does (a new default version), which is what AWS's generationId is for. */
    private static String generation(Policy p) {
        return p.versionId() + "-" + Long.toHexString(p.lastModifiedDate().toEpochMilli());
    }

    private Object list(ApiRequest request) {
        var page = Pagination.page(
                registry.policies().list(request.boolQuery("isAscendingOrder", true)),
                request.query("marker"),
                request.intQuery("pageSize", 1, Pagination.MAX_PAGE_SIZE));
        return new ListResponse(
                page.items().stream()
                        .map(p -> new PolicySummary(p.policyName(), p.policyArn()))
                        .toList(),
                page.nextToken());
    }

    private Object delete(ApiRequest request) {
        registry.deletePolicy(request.path("policyName"));
        return null;
    }

    private Object createVersion(ApiRequest request) {
        CreateRequest body = request.body(CreateRequest.class);
        String name = request.path("policyName");
        PolicyVersion v = registry.policies()
                .createVersion(
                        name,
                        required(body.policyDocument(), "policyDocument"),
                        request.boolQuery("setAsDefault", false));
        return new CreateVersionResponse(
                registry.arns().policy(name), v.policyDocument(), v.versionId(), v.isDefaultVersion());
    }

    private Object listVersions(ApiRequest request) {
        return new ListVersionsResponse(registry.policies().versions(request.path("policyName")).stream()
                .map(v -> new VersionSummary(v.versionId(), v.isDefaultVersion(), epochSeconds(v.createDate())))
                .toList());
    }

    private Object version(ApiRequest request) {
        String name = request.path("policyName");
        PolicyVersion v = registry.policies().version(name, request.path("policyVersionId"));
        Policy p = registry.policies().get(name);
        return new GetVersionResponse(
                p.policyArn(),
                name,
                v.policyDocument(),
                v.versionId(),
                v.isDefaultVersion(),
                epochSeconds(v.createDate()),
                epochSeconds(v.createDate()),
                generation(p));
    }

    private Object setDefault(ApiRequest request) {
        registry.policies().setDefaultVersion(request.path("policyName"), request.path("policyVersionId"));
        return null;
    }

    private Object deleteVersion(ApiRequest request) {
        registry.policies().deleteVersion(request.path("policyName"), request.path("policyVersionId"));
        return null;
    }

    private Object attach(ApiRequest request) {
        registry.attachPolicy(
                request.path("policyName"),
                required(request.body(TargetRequest.class).target(), "target"));
        return null;
    }

    private Object detach(ApiRequest request) {
        registry.detachPolicy(
                request.path("policyName"),
                required(request.body(TargetRequest.class).target(), "target"));
        return null;
    }

    private Object listAttached(ApiRequest request) {
        // Policies attach to certificates only (not to thing groups), so recursive listing has nothing to add.
        request.boolQuery("recursive", false);
        var page = Pagination.page(
                registry.attachedPolicies(request.path("target")),
                request.query("marker"),
                request.intQuery("pageSize", 1, Pagination.MAX_PAGE_SIZE));
        return new ListAttachedResponse(
                page.items().stream()
                        .map(p -> new PolicySummary(p.policyName(), p.policyArn()))
                        .toList(),
                page.nextToken());
    }
}
