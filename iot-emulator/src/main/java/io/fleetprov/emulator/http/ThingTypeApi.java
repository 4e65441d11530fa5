package io.fleetprov.emulator.http;

import static io.fleetprov.emulator.http.Json.epochSeconds;

import io.fleetprov.emulator.registry.Registry;
import io.fleetprov.emulator.registry.Thing;
import io.fleetprov.emulator.registry.ThingGroup;
import io.fleetprov.emulator.registry.ThingType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Thing types and static thing groups (AWS IoT API, {@code /thing-types}, {@code /thing-groups}). */
final class ThingTypeApi {

    private final Registry registry;

    ThingTypeApi(Registry registry) {
        this.registry = registry;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/thing-types/{thingTypeName}", "CreateThingType", this::createType),
                Route.of("GET", "/thing-types/{thingTypeName}", "DescribeThingType", this::describeType),
                Route.of("POST", "/thing-groups/{thingGroupName}", "CreateThingGroup", this::createGroup),
                Route.of("PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup", this::addThing),
                Route.of("GET", "/things/{thingName}/thing-groups", "ListThingGroupsForThing", this::groupsOf));
    }

    record ThingTypeProperties(String thingTypeDescription, List<String> searchableAttributes) {}

    record CreateTypeRequest(ThingTypeProperties thingTypeProperties) {}

    record CreateTypeResponse(String thingTypeName, String thingTypeArn, String thingTypeId) {}

    record ThingTypeMetadata(Boolean deprecated, BigDecimal creationDate) {}

    record DescribeTypeResponse(
            String thingTypeName,
            String thingTypeId,
            String thingTypeArn,
            ThingTypeProperties thingTypeProperties,
            ThingTypeMetadata thingTypeMetadata) {}

    record GroupAttributes(Map<String, String> attributes) {}

    record ThingGroupProperties(String thingGroupDescription, GroupAttributes attributePayload) {}

    record CreateGroupRequest(String parentGroupName, ThingGroupProperties thingGroupProperties) {}

    record CreateGroupResponse(String thingGroupName, String thingGroupArn, String thingGroupId) {}

    record AddThingRequest(String thingGroupName, String thingGroupArn, String thingName, String thingArn) {}

    record GroupNameAndArn(String groupName, String groupArn) {}

    record GroupsResponse(List<GroupNameAndArn> thingGroups, String nextToken) {}

    private Object createType(ApiRequest request) {
        ThingTypeProperties properties = request.body(CreateTypeRequest.class).thingTypeProperties();
        ThingType type = registry.thingTypes()
                .create(
                        request.path("thingTypeName"),
                        properties == null ? null : properties.thingTypeDescription(),
                        properties == null ? null : properties.searchableAttributes());
        return new CreateTypeResponse(type.thingTypeName(), type.thingTypeArn(), type.thingTypeId());
    }

    private Object describeType(ApiRequest request) {
        ThingType type = registry.thingTypes().get(request.path("thingTypeName"));
        return new DescribeTypeResponse(
                type.thingTypeName(),
                type.thingTypeId(),
                type.thingTypeArn(),
                new ThingTypeProperties(type.description(), type.searchableAttributes()),
                new ThingTypeMetadata(false, epochSeconds(type.creationDate())));
    }

    private Object createGroup(ApiRequest request) {
        CreateGroupRequest body = request.body(CreateGroupRequest.class);
        ThingGroupProperties properties = body.thingGroupProperties();
        ThingGroup group = registry.thingGroups()
                .create(
                        request.path("thingGroupName"),
                        body.parentGroupName(),
                        properties == null ? null : properties.thingGroupDescription(),
                        properties == null || properties.attributePayload() == null
                                ? null
                                : properties.attributePayload().attributes());
        return new CreateGroupResponse(group.thingGroupName(), group.thingGroupArn(), group.thingGroupId());
    }

    /** The group and the thing may each be named or given by ARN, as the model allows. */
    private Object addThing(ApiRequest request) {
        AddThingRequest body = request.body(AddThingRequest.class);
        String group = nameOf(body.thingGroupName(), body.thingGroupArn(), ":thinggroup/", "thingGroupName");
        String thing = nameOf(body.thingName(), body.thingArn(), ":thing/", "thingName");
        registry.things().addToGroup(thing, group);
        return null;
    }

    private Object groupsOf(ApiRequest request) {
        Thing thing = registry.things().get(request.path("thingName"));
        var page = Pagination.page(
                thing.thingGroups().stream().sorted().toList(),
                request.query("nextToken"),
                request.intQuery("maxResults", 1, Pagination.MAX_PAGE_SIZE));
        return new GroupsResponse(
                page.items().stream()
                        .map(g -> new GroupNameAndArn(g, registry.arns().thingGroup(g)))
                        .toList(),
                page.nextToken());
    }

    private static String nameOf(String name, String arn, String marker, String member) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        int i = arn == null ? -1 : arn.indexOf(marker);
        if (i < 0) {
            throw AwsException.invalidRequest("Missing required parameter " + member + " (or its ARN)");
        }
        return arn.substring(i + marker.length());
    }
}
