package io.fleetprov.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A control-plane request matched to an operation: decoded path labels, query parameters and the JSON body. */
final class ApiRequest {

    private final RawRequest raw;
    private final Map<String, String> pathParams;
    private final Map<String, String> query = new LinkedHashMap<>();

    ApiRequest(RawRequest raw, Map<String, String> pathParams) {
        this.raw = raw;
        this.pathParams = Map.copyOf(pathParams);
        for (Map.Entry<String, String> param : UriEncoding.queryParameters(raw.rawQuery())) {
            query.putIfAbsent(param.getKey(), param.getValue());
        }
    }

    String path(String name) {
        return pathParams.get(name);
    }

    String header(String name) {
        return raw.header(name);
    }

    String requiredHeader(String name) {
        String value = raw.header(name);
        if (value == null || value.isEmpty()) {
            throw AwsException.invalidRequest("Missing required header " + name);
        }
        return value;
    }

    String query(String name) {
        return query.get(name);
    }

    String requiredQuery(String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw AwsException.invalidRequest("Missing required query parameter " + name);
        }
        return value;
    }

    Integer intQuery(String name, int min, int max) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw AwsException.invalidRequest(name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw AwsException.invalidRequest(name + " must be an integer");
        }
    }

    Long longQuery(String name) {
        String value = query.get(name);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw AwsException.invalidRequest(name + " must be an integer");
        }
    }

    boolean boolQuery(String name, boolean defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw AwsException.invalidRequest(name + " must be true or false");
    }

    /** The JSON body as {@code type}; an empty body reads as {@code {}}, as for operations whose body is optional. */
    <T> T body(Class<T> type) {
        byte[] body = raw.body();
        try {
            if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                return Json.MAPPER.readValue("{}", type);
            }
            if (!Json.MAPPER.readTree(body).isObject()) {
                throw AwsException.invalidRequest("The request body must be a JSON object");
            }
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw AwsException.invalidRequest("Malformed JSON request body");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static <T> T required(T value, String name) {
        if (value == null
                || (value instanceof String s && s.isEmpty())
                || (value instanceof List<?> l && l.isEmpty())) {
            throw AwsException.invalidRequest("Missing required parameter " + name);
        }
        return value;
    }
}
