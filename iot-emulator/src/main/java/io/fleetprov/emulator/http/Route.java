package io.fleetprov.emulator.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One control-plane operation: an HTTP method and a path template such as {@code /things/{thingName}/principals}.
 * Labels match exactly one path segment and are percent-decoded after splitting, so an ARN sent as
 * {@code arn%3Aaws%3Aiot%3A...%2Fid} stays one label.
 */
record Route(String method, String pathTemplate, String operation, Operation handler) {

    @FunctionalInterface
    interface Operation {
        /** @return the response body, serialised as JSON; null for an empty output shape */
        Object invoke(ApiRequest request);
    }

    static Route of(String method, String pathTemplate, String operation, Operation handler) {
        return new Route(method, pathTemplate, operation, handler);
    }

    /** The decoded labels if {@code rawSegments} fit the template (the method is checked by the caller). */
    Optional<Map<String, String>> match(List<String> rawSegments) {
        List<String> template = segments(pathTemplate);
        if (template.size() != rawSegments.size()) {
            return Optional.empty();
        }
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            String actual = rawSegments.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                String value = UriEncoding.decode(actual);
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                labels.put(expected.substring(1, expected.length() - 1), value);
            } else if (!expected.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(labels);
    }

    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }
}
