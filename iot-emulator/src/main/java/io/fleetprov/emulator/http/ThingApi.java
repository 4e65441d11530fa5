package io.fleetprov.emulator.http;

import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.registry.Thing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Things and their principals (AWS IoT API, {@code /things}, {@code /principals/things}). */
final class ThingApi {

    /** The header AWS carries principal ARNs in, because they contain slashes and colons. */
    static final String PRINCIPAL_HEADER = "x-amzn-principal";

    private final Registry registry;

    ThingApi(Registry registry) {
        this.registry = registry;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/things/{thingName}", "CreateThing", this::create),
                Route.of("GET", "/things/{thingName}", "DescribeThing", this::describe),
                Route.of("GET", "/things", "ListThings", this::list),
                Route.of("PATCH", "/things/{thingName}", "UpdateThing", this::update),
                Route.of("DELETE", "/things/{thingName}", "DeleteThing", this::delete),
                Route.of("PUT", "/things/{thingName}/principals", "AttachThingPrincipal", this::attachPrincipal),
                Route.of("DELETE", "/things/{thingName}/principals", "DetachThingPrincipal", this::detachPrincipal),
                Route.of("GET", "/things/{thingName}/principals", "ListThingPrincipals", this::listPrincipals),
                Route.of("GET", "/principals/things", "ListPrincipalThings", this::listPrincipalThings));
    }

    record AttributePayload(Map<String, String> attributes, Boolean merge) {}

    record CreateRequest(String thingTypeName, AttributePayload attributePayload, String billingGroupName) {}

    record CreateResponse(String thingName, String thingArn, String thingId) {}

    record UpdateRequest(
            String thingTypeName, AttributePayload attributePayload, Long expectedVersion, Boolean removeThingType) {}

    record DescribeResponse(
            String defaultClientId,
            String thingName,
            String thingId,
            String thingArn,
            String thingTypeName,
            Map<String, String> attributes,
            Long version,
            String billingGroupName) {}

    record ThingAttribute(
            String thingName, String thingTypeName, String thingArn, Map<String, String> attributes, Long version) {}

    record ListResponse(List<ThingAttribute> things, String nextToken) {}

    record PrincipalsResponse(List<String> principals, String nextToken) {}

    record PrincipalThingsResponse(List<String> things, String nextToken) {}

    private Object create(ApiRequest request) {
        CreateRequest body = request.body(CreateRequest.class);
        Map<String, String> attributes =
                body.attributePayload() == null || body.attributePayload().attributes() == null
                        ? Map.of()
                        : new HashMap<>(body.attributePayload().attributes());
        // An empty attribute value removes the attribute in AWS's UpdateThing; on create it means "no attribute".
        attributes.values().removeIf(v -> v == null || v.isEmpty());
        Thing thing = registry.things()
                .create(request.path("thingName"), body.thingTypeName(), attributes, body.billingGroupName(), null);
        return new CreateResponse(thing.thingName(), thing.thingArn(), thing.thingId());
    }

    private Object update(ApiRequest request) {
        UpdateRequest body = request.body(UpdateRequest.class);
        AttributePayload payload = body.attributePayload();
        registry.things()
                .update(
                        request.path("thingName"),
                        body.thingTypeName(),
                        Boolean.TRUE.equals(body.removeThingType()),
                        payload == null ? null : payload.attributes(),
                        payload != null && Boolean.TRUE.equals(payload.merge()),
                        body.expectedVersion());
        return null;
    }

    private Object describe(ApiRequest request) {
        Thing t = registry.things().get(request.path("thingName"));
        // Without an MQTT connection to go by, AWS reports the thing name as the default client id.
        return new DescribeResponse(
                t.thingName(),
                t.thingName(),
                t.thingId(),
                t.thingArn(),
                t.thingTypeName(),
                t.attributes(),
                t.version(),
                t.billingGroupName());
    }

    private Object list(ApiRequest request) {
        List<Thing> things = registry.things()
                .list(
                        request.query("attributeName"),
                        request.query("attributeValue"),
                        request.query("thingTypeName"),
                        request.boolQuery("usePrefixAttributeValue", false));
        var page = Pagination.page(
                things, request.query("nextToken"), request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        return new ListResponse(
                page.items().stream()
                        .map(t -> new ThingAttribute(
                                t.thingName(), t.thingTypeName(), t.thingArn(), t.attributes(), t.version()))
                        .toList(),
                page.nextToken());
    }

    private Object delete(ApiRequest request) {
        registry.deleteThing(request.path("thingName"), request.longQuery("expectedVersion"));
        return null;
    }

    private Object attachPrincipal(ApiRequest request) {
        String type = request.query("thingPrincipalType");
        if (type != null && !type.equals("EXCLUSIVE_THING") && !type.equals("NON_EXCLUSIVE_THING")) {
            throw AwsException.invalidRequest("Invalid thingPrincipalType: " + type);
        }
        registry.attachThingPrincipal(request.path("thingName"), request.requiredHeader(PRINCIPAL_HEADER));
        return null;
    }

    private Object detachPrincipal(ApiRequest request) {
        registry.detachThingPrincipal(request.path("thingName"), request.requiredHeader(PRINCIPAL_HEADER));
        return null;
    }

    private Object listPrincipals(ApiRequest request) {
        var page = Pagination.page(
                registry.thingPrincipals(request.path("thingName")),
                request.query("nextToken"),
                request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        return new PrincipalsResponse(page.items(), page.nextToken());
    }

    private Object listPrincipalThings(ApiRequest request) {
        var page = Pagination.page(
                registry.principalThings(request.requiredHeader(PRINCIPAL_HEADER)),
                request.query("nextToken"),
                request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        return new PrincipalThingsResponse(page.items(), page.nextToken());
    }
}
