package io.fleetprov.emulator.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pages through a sorted list with opaque tokens (AWS's {@code nextToken}/{@code marker}). A token encodes the
 * offset of the next item; it is opaque to clients, who only pass back what they were given.
 */
final class Pagination {

    /** AWS's maximum page size for the list operations the emulator serves. */
    static final int MAX_PAGE_SIZE = 250;

    private static final String PREFIX = "fleetprov-page:";

    private Pagination() {}

    record Page<T>(List<T> items, String nextToken) {}

    static <T> Page<T> page(List<T> all, String token, Integer pageSize) {
        int size = pageSize == null ? MAX_PAGE_SIZE : pageSize;
        int from = token == null || token.isEmpty() ? 0 : offset(token);
        if (from > all.size()) {
            from = all.size();
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size() ? encode(to) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below; NumberFormatException is an IllegalArgumentException
        }
        throw AwsException.invalidRequest("Invalid pagination token");
    }
}
