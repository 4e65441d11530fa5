package io.fleetprov.emulator.cognito;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Pages of a list sorted by a unique key: the token names the last key returned, so pages stay consistent while items
 * are added; it is opaque to clients (base64url), who only pass back what they were given.
 */
final class Paging {

    static final int MAX_LIMIT = 60;

    record Page<T>(List<T> items, String nextToken) {}

    private Paging() {}

    static <T> Page<T> page(List<T> sorted, Function<T, String> key, Integer limit, String token, String tokenMember) {
        int size = limit == null || limit == 0 ? MAX_LIMIT : limit;
        if (size < 0 || size > MAX_LIMIT) {
            throw CognitoException.invalidParameter("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to "
                    + MAX_LIMIT);
        }
        String after = null;
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw CognitoException.invalidParameter("Invalid " + tokenMember + ".");
            }
        }
        String start = after;
        List<T> rest = start == null
                ? sorted
                : sorted.stream()
                        .filter(item -> key.apply(item).compareTo(start) > 0)
                        .toList();
        List<T> items = rest.subList(0, Math.min(size, rest.size()));
        String next = rest.size() > size
                ? Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(key.apply(items.get(items.size() - 1)).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(List.copyOf(items), next);
    }
}
