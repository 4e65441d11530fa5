package io.fleetprov.emulator.http;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it arrived: the path and query still percent-encoded (SigV4 signs the encoded form), header
 * names in lower case, the body read in full (bounded by {@link RequestDispatcher}).
 */
public record RawRequest(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    public RawRequest {
        headers = Map.copyOf(headers);
        rawQuery = rawQuery == null ? "" : rawQuery;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
