package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.ApiRequest.required;
import static io.fleetprov.emulator.http.Json.epochSeconds;

import io.fleetprov.emulator.registry.Policy;
import io.fleetprov.emulator.registry.Registry;
import java.math.BigDecimal;
import java.util.List;

/** IoT policies and their attachment to certificates (AWS IoT API, {@code /policies}, {@code /target-policies}). */
final class PolicyApi {

    private final Registry registry;

    PolicyApi(Registry registry) {
        this.registry = registry;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/policies/{policyName}", "CreatePolicy", this::create),
                Route.of("GET", "/policies/{policyName}", "GetPolicy", this::get),
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
                epochSeconds(p.creationDate()),
                // One version per policy, never modified: the version id identifies the generation.
                p.versionId());
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
        // The emulator has no thing groups, so recursive listing has nothing to add; the flag is still validated.
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
