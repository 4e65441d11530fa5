package io.fleetprov.audit.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque page cursor: the sort key of the last item returned, base64url-encoded. Clients pass it back
 * unchanged; anything else is refused with {@link InvalidRequestException}.
 */
public final class Cursor {

    private Cursor() {}

    public static String encode(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    public static String[] decode(String cursor, int parts) {
        try {
            String[] decoded =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (decoded.length != parts) {
                throw new InvalidRequestException("invalid cursor");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid cursor");
        }
    }

    /** The sequence number after which a page starts; 0 without a cursor. */
    public static long afterSeq(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(decode(cursor, 1)[0]);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("invalid cursor");
        }
    }
}
