package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.ApiRequest.required;
import static io.fleetprov.emulator.http.Json.epochSeconds;

import io.fleetprov.emulator.registry.ProvisioningTemplate;
import io.fleetprov.emulator.registry.ProvisioningTemplateStore;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/** Provisioning templates and their versions (AWS IoT API, {@code /provisioning-templates}). */
final class ProvisioningTemplateApi {

    /** AWS's default payload version for pre-provisioning hooks. */
    private static final String DEFAULT_HOOK_PAYLOAD_VERSION = "2020-04-01";

    private final ProvisioningTemplateStore templates;

    ProvisioningTemplateApi(ProvisioningTemplateStore templates) {
        this.templates = templates;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/provisioning-templates", "CreateProvisioningTemplate", this::create),
                Route.of("GET", "/provisioning-templates", "ListProvisioningTemplates", this::list),
                Route.of(
                        "GET",
                        "/provisioning-templates/{templateName}",
                        "DescribeProvisioningTemplate",
                        this::describe),
                Route.of("PATCH", "/provisioning-templates/{templateName}", "UpdateProvisioningTemplate", this::update),
                Route.of(
                        "DELETE", "/provisioning-templates/{templateName}", "DeleteProvisioningTemplate", this::delete),
                Route.of(
                        "POST",
                        "/provisioning-templates/{templateName}/versions",
                        "CreateProvisioningTemplateVersion",
                        this::createVersion),
                Route.of(
                        "GET",
                        "/provisioning-templates/{templateName}/versions",
                        "ListProvisioningTemplateVersions",
                        this::listVersions),
                Route.of(
                        "GET",
                        "/provisioning-templates/{templateName}/versions/{versionId}",
                        "DescribeProvisioningTemplateVersion",
                        this::describeVersion),
                Route.of(
                        "DELETE",
                        "/provisioning-templates/{templateName}/versions/{versionId}",
                        "DeleteProvisioningTemplateVersion",
                        this::deleteVersion));
    }

    record Hook(String targetArn, String payloadVersion) {}

    record Tag(String Key, String Value) {}

    record CreateRequest(
            String templateName,
            String description,
            String templateBody,
            Boolean enabled,
            String provisioningRoleArn,
            Hook preProvisioningHook,
            List<Tag> tags,
            String type) {}

    record CreateResponse(String templateArn, String templateName, Integer defaultVersionId) {}

    record DescribeResponse(
            String templateArn,
            String templateName,
            String description,
            BigDecimal creationDate,
            BigDecimal lastModifiedDate,
            Integer defaultVersionId,
            String templateBody,
            Boolean enabled,
            String provisioningRoleArn,
            Hook preProvisioningHook,
            String type) {}

    record Summary(
            String templateArn,
            String templateName,
            String description,
            BigDecimal creationDate,
            BigDecimal lastModifiedDate,
            Boolean enabled,
            String type) {}

    record ListResponse(List<Summary> templates, String nextToken) {}

    record UpdateRequest(
            String description,
            Boolean enabled,
            Integer defaultVersionId,
            String provisioningRoleArn,
            Hook preProvisioningHook,
            Boolean removePreProvisioningHook) {}

    record CreateVersionRequest(String templateBody) {}

    record CreateVersionResponse(
            String templateArn, String templateName, Integer versionId, Boolean isDefaultVersion) {}

    record VersionSummary(Integer versionId, BigDecimal creationDate, Boolean isDefaultVersion) {}

    record ListVersionsResponse(List<VersionSummary> versions, String nextToken) {}

    record DescribeVersionResponse(
            Integer versionId, BigDecimal creationDate, String templateBody, Boolean isDefaultVersion) {}

    private Object create(ApiRequest request) {
        CreateRequest body = request.body(CreateRequest.class);
        if (body.description() != null && body.description().length() > 500) {
            throw AwsException.invalidRequest("description must be at most 500 characters");
        }
        // AWS creates templates disabled unless told otherwise.
        ProvisioningTemplate t = templates.create(
                required(body.templateName(), "templateName"),
                body.description(),
                required(body.templateBody(), "templateBody"),
                Boolean.TRUE.equals(body.enabled()),
                required(body.provisioningRoleArn(), "provisioningRoleArn"),
                hook(body.preProvisioningHook()),
                body.type());
        return new CreateResponse(t.templateArn(), t.templateName(), t.defaultVersionId());
    }

    private Object list(ApiRequest request) {
        var page = Pagination.page(
                templates.list(),
                request.query("nextToken"),
                request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        List<Summary> templates = page.items().stream()
                .map(t -> new Summary(
                        t.templateArn(),
                        t.templateName(),
                        t.description(),
                        epochSeconds(t.creationDate()),
                        epochSeconds(t.lastModifiedDate()),
                        t.enabled(),
                        t.type()))
                .toList();
        return new ListResponse(templates, page.nextToken());
    }

    private Object describe(ApiRequest request) {
        ProvisioningTemplate t = templates.get(request.path("templateName"));
        Hook hook = t.preProvisioningHook() == null
                ? null
                : new Hook(
                        t.preProvisioningHook().targetArn(),
                        t.preProvisioningHook().payloadVersion());
        return new DescribeResponse(
                t.templateArn(),
                t.templateName(),
                t.description(),
                epochSeconds(t.creationDate()),
                epochSeconds(t.lastModifiedDate()),
                t.defaultVersionId(),
                t.templateBody(),
                t.enabled(),
                t.provisioningRoleArn(),
                hook,
                t.type());
    }

    private Object update(ApiRequest request) {
        UpdateRequest body = request.body(UpdateRequest.class);
        boolean remove = Boolean.TRUE.equals(body.removePreProvisioningHook());
        if (remove && body.preProvisioningHook() != null) {
            throw AwsException.invalidRequest("preProvisioningHook and removePreProvisioningHook are exclusive");
        }
        ProvisioningTemplate current = templates.get(request.path("templateName"));
        if (body.preProvisioningHook() != null && "JITP".equals(current.type())) {
            throw AwsException.invalidRequest("A pre-provisioning hook is supported only for FLEET_PROVISIONING");
        }
        templates.update(
                current.templateName(),
                body.description(),
                body.enabled(),
                body.defaultVersionId(),
                body.provisioningRoleArn(),
                hook(body.preProvisioningHook()),
                remove);
        return null;
    }

    private Object delete(ApiRequest request) {
        templates.delete(request.path("templateName"));
        return null;
    }

    private Object createVersion(ApiRequest request) {
        CreateVersionRequest body = request.body(CreateVersionRequest.class);
        String name = request.path("templateName");
        var version = templates.createVersion(
                name, required(body.templateBody(), "templateBody"), request.boolQuery("setAsDefault", false));
        ProvisioningTemplate t = templates.get(name);
        return new CreateVersionResponse(
                t.templateArn(), t.templateName(), version.versionId(), version.versionId() == t.defaultVersionId());
    }

    private Object listVersions(ApiRequest request) {
        ProvisioningTemplate t = templates.get(request.path("templateName"));
        List<ProvisioningTemplate.Version> versions = t.versions().stream()
                .sorted(Comparator.comparingInt(ProvisioningTemplate.Version::versionId))
                .toList();
        var page = Pagination.page(
                versions, request.query("nextToken"), request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        return new ListVersionsResponse(
                page.items().stream()
                        .map(v -> new VersionSummary(
                                v.versionId(), epochSeconds(v.creationDate()), v.versionId() == t.defaultVersionId()))
                        .toList(),
                page.nextToken());
    }

    private Object describeVersion(ApiRequest request) {
        ProvisioningTemplate t = templates.get(request.path("templateName"));
        ProvisioningTemplate.Version v = t.version(versionId(request));
        return new DescribeVersionResponse(
                v.versionId(), epochSeconds(v.creationDate()), v.templateBody(), v.versionId() == t.defaultVersionId());
    }

    private Object deleteVersion(ApiRequest request) {
        templates.deleteVersion(request.path("templateName"), versionId(request));
        return null;
    }

    private static int versionId(ApiRequest request) {
        try {
            return Integer.parseInt(request.path("versionId"));
        } catch (NumberFormatException e) {
            throw AwsException.invalidRequest("versionId must be an integer");
        }
    }

    private static ProvisioningTemplate.PreProvisioningHook hook(Hook hook) {
        if (hook == null) {
            return null;
        }
        String payloadVersion = hook.payloadVersion() == null ? DEFAULT_HOOK_PAYLOAD_VERSION : hook.payloadVersion();
        if (!payloadVersion.matches("[0-9-]{10,32}")) {
            throw AwsException.invalidRequest("Invalid preProvisioningHook.payloadVersion: " + payloadVersion);
        }
        return new ProvisioningTemplate.PreProvisioningHook(
                required(hook.targetArn(), "preProvisioningHook.targetArn"), payloadVersion);
    }
}
