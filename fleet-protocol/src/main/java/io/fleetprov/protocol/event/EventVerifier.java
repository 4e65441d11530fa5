package io.fleetprov.protocol.event;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwx.Headers;
import org.jose4j.lang.JoseException;

/**
 * Verifies signed events against trusted public keys, each trusted under its {@code kid}. Only ES256 is accepted
 * (never {@code none}, never an HMAC that a public key could be abused as the secret of), the header must name a
 * trusted key and the {@code typ} of an event, and the signature must cover the envelope as received.
 */
public final class EventVerifier {

    /** Longer than any header a signer here writes (alg, kid, typ): a longer first part is not read. */
    private static final int MAX_HEADER = 4096;

    private final Map<String, Es256.Verifying> trusted;

    public EventVerifier(Map<String, PublicKey> trusted) {
        Map<String, Es256.Verifying> keys = new HashMap<>();
        trusted.forEach((kid, key) -> keys.put(kid, Es256.verifying(key)));
        this.trusted = Map.copyOf(keys);
    }

    /** Trusts exactly these converted keys: for {@link EventSigner#selfVerifier()}. */
    EventVerifier(String kid, Es256.Verifying key) {
        this.trusted = Map.of(kid, key);
    }

    /** The kids this verifier trusts. */
    public Set<String> trustedKeyIds() {
        return trusted.keySet();
    }

    /**
     * The verified event, or an {@link EventSignatureException} saying why the message is not one. Safe to call from
     * several threads at once: events are independent of each other, so a consumer may verify them in parallel.
     */
    public SignedEvent verify(byte[] message) {
        Verified verified = verify(message, SignedEvent.TYPE);
        return new SignedEvent(verified.kid(), verified.payload());
    }

    /**
     * The verified {@link SignedBatch}, or an {@link EventSignatureException} saying why the message is not one. The
     * number of its events is not checked here: that is the consumer's limit to apply ({@link SignedBatch#MAX_EVENTS}).
     */
    public SignedBatch verifyBatch(byte[] message) {
        Verified verified = verify(message, SignedBatch.TYPE);
        return new SignedBatch(
                verified.kid(),
                verified.compact().getBytes(StandardCharsets.US_ASCII),
                SignedBatch.envelopes(verified.payload()));
    }

    /**
     * Whether the message's JWS header says it is a batch ({@link SignedBatch#TYPE}), <em>without</em> checking its
     * signature: only to choose between {@link #verify} and {@link #verifyBatch}, which check everything.
     */
    public static boolean isBatch(byte[] message) {
        try {
            String compact = compact(message);
            return SignedBatch.TYPE.equals(header(compact).getStringHeaderValue("typ"));
        } catch (EventSignatureException | ClassCastException e) {
            return false;
        }
    }

    /**
     * Whether the message's JWS header, its first part, says {@link SignedBatch#TYPE}, reading nothing else: only for
     * choosing between {@link #verifyBatch} and {@link #verify}, each of which checks the whole message (compact form,
     * algorithm, key, type, signature) and refuses it with the same reason whichever is chosen. {@link #isBatch} also
     * checks the whole compact form, a second scan of every batch on an ingest path.
     */
    public static boolean claimsBatch(byte[] message) {
        int start = 0;
        while (start < message.length && Character.isWhitespace(message[start])) {
            start++;
        }
        int dot = start;
        while (dot < message.length && message[dot] != '.') {
            dot++;
        }
        if (dot == start || dot == message.length || dot - start > MAX_HEADER) {
            return false;
        }
        try {
            Headers headers = new Headers();
            headers.setFullHeaderAsJsonString(new String(
                    Base64.getUrlDecoder().decode(Arrays.copyOfRange(message, start, dot)), StandardCharsets.UTF_8));
            return SignedBatch.TYPE.equals(headers.getStringHeaderValue("typ"));
        } catch (JoseException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    /**
     * The envelopes of a batch, <em>without</em> checking its signature: only for a producer that compares the
     * whole message with what it sent itself.
     */
    public static List<byte[]> unverifiedBatch(byte[] message) {
        return SignedBatch.envelopes(unverifiedEnvelope(message));
    }

    private Verified verify(byte[] message, String type) {
        String compact = compact(message);
        Headers headers = header(compact);
        if (!SignedEvent.ALGORITHM.equals(headers.getStringHeaderValue("alg"))) {
            throw new EventSignatureException("the JWS algorithm is not " + SignedEvent.ALGORITHM);
        }
        String kid = headers.getStringHeaderValue("kid");
        if (kid == null || kid.isBlank()) {
            throw new EventSignatureException("the JWS header names no key (kid)");
        }
        Es256.Verifying key = trusted.get(kid);
        if (key == null) {
            throw new EventSignatureException("signed by an untrusted key");
        }
        if (!type.equals(headers.getStringHeaderValue("typ"))) {
            throw new EventSignatureException(
                    SignedEvent.TYPE.equals(type)
                            ? "the JWS is not a fleetprov event (typ)"
                            : "the JWS is not a fleetprov event batch (typ)");
        }
        // jose4j reads the header; the signature is checked by Es256 (see there for why), so what jose4j's own
        // check would also refuse is refused here: critical headers (none is ours) and the unencoded payload of
        // RFC 7797, which would change what the signature covers.
        if (headers.getObjectHeaderValue("crit") != null || headers.getObjectHeaderValue("b64") != null) {
            throw new EventSignatureException("the JWS cannot be verified (its header or key is not acceptable)");
        }
        int firstDot = compact.indexOf('.');
        int lastDot = compact.lastIndexOf('.');
        byte[] signature;
        byte[] payload;
        try {
            signature = Base64.getUrlDecoder().decode(compact.substring(lastDot + 1));
            payload = Base64.getUrlDecoder().decode(compact.substring(firstDot + 1, lastDot));
        } catch (IllegalArgumentException e) {
            throw new EventSignatureException("not a compact JWS");
        }
        if (!Es256.verify(key, compact.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new EventSignatureException("the signature does not verify with key " + kid);
        }
        return new Verified(kid, compact, payload);
    }

    private record Verified(String kid, String compact, byte[] payload) {}

    /**
     * The envelope a compact JWS carries, <em>without</em> checking its signature: only for a producer that compares
     * the whole message with what it sent itself.
     */
    public static byte[] unverifiedEnvelope(byte[] message) {
        String[] parts = compact(message).split("\\.");
        try {
            return Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new EventSignatureException("not a compact JWS");
        }
    }

    /**
     * The protected header, read by jose4j's JSON parser as its compact-serialization parser reads it, without
     * decoding the payload as that parser also would: a batch's payload is large, and it is decoded once, below.
     */
    private static Headers header(String compact) {
        try {
            Headers headers = new Headers();
            headers.setFullHeaderAsJsonString(new String(
                    Base64.getUrlDecoder().decode(compact.substring(0, compact.indexOf('.'))), StandardCharsets.UTF_8));
            return headers;
        } catch (JoseException | IllegalArgumentException e) {
            throw new EventSignatureException("not a compact JWS");
        }
    }

    private static String compact(byte[] message) {
        int from = 0;
        int to = message.length;
        // What String.strip() removes from ASCII text: a trailing newline, say.
        while (from < to && isBlank(message[from])) {
            from++;
        }
        while (to > from && isBlank(message[to - 1])) {
            to--;
        }
        if (!isCompact(message, from, to)) {
            throw new EventSignatureException(
                    from < to && message[from] == '{' ? "unsigned (a bare JSON envelope)" : "not a compact JWS");
        }
        return new String(message, from, to - from, StandardCharsets.US_ASCII);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    }

    private static final boolean[] BASE64URL = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            BASE64URL[c] = true;
            BASE64URL[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            BASE64URL[c] = true;
        }
        BASE64URL['_'] = true;
        BASE64URL['-'] = true;
    }

    /**
     * Three non-empty base64url parts: a compact JWS with an attached payload. Anything else is not a signed event. A
     * table scan of the bytes rather than a regular expression (a tenth of a batch's verification) or a scan of the
     * decoded text (2.5 times the signature check itself for a batch of 100 KB).
     */
    private static boolean isCompact(byte[] message, int from, int to) {
        int dots = 0;
        int part = 0;
        for (int i = from; i < to; i++) {
            int c = message[i] & 0xff;
            if (BASE64URL[c]) {
                part++;
            } else if (c == '.' && part > 0) {
                dots++;
                part = 0;
            } else {
                return false;
            }
        }
        return dots == 2 && part > 0;
    }
}
