package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The chain rule: {@code hash = SHA-256(prevHash || canonical JSON)}, where the canonical JSON is RFC 8785 (JCS)
 * applied to every stored column ({@link AuditField}, then the payload) except the two hashes. Because derived
 * columns are inside the hash too, changing an indexed column (say, the installer) without touching the payload
 * still breaks the link. An absent optional field is left out, so a field added later does not change the
 * canonical bytes of links stored before it existed.
 */
public final class HashChain {

    /** The previous hash of the first link. */
    public static final byte[] GENESIS = new byte[32];

    private static final ObjectMapper JSON = new ObjectMapper();

    private HashChain() {}

    public static byte[] hash(byte[] prevHash, long seq, AuditEvent event) {
        return hash(prevHash, seq, prepare(event));
    }

    /** {@link #hash(byte[], long, AuditEvent)} of a link whose content was {@link #prepare prepared} already. */
    public static byte[] hash(byte[] prevHash, long seq, PreparedEvent event) {
        MessageDigest sha256 = sha256();
        sha256.update(prevHash);
        if (event.canonicalHead() != null && Math.abs(seq) <= CanonicalJson.EXACT) {
            sha256.update(event.canonicalHead());
            sha256.update(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
            sha256.update(event.canonicalTail());
        } else {
            sha256.update(reference(seq, event.event()));
        }
        return sha256.digest();
    }

    /** RFC 8785 bytes of the link's content. */
    public static byte[] canonical(long seq, AuditEvent e) {
        PreparedEvent prepared = prepare(e);
        if (prepared.canonicalHead() == null || Math.abs(seq) > CanonicalJson.EXACT) {
            return reference(seq, e);
        }
        byte[] digits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        byte[] head = prepared.canonicalHead();
        byte[] tail = prepared.canonicalTail();
        byte[] all = new byte[head.length + digits.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(digits, 0, all, head.length, digits.length);
        System.arraycopy(tail, 0, all, head.length + digits.length, tail.length);
        return all;
    }

    /**
     * Everything of a link's content that does not depend on its place in the chain: the canonical bytes around the
     * sequence number (null where only the reference canonicalizer can write them) and the payload as JSON text for
     * its column. Done by whichever thread reads the event, so the chain's one writer only hashes.
     */
    public static PreparedEvent prepare(AuditEvent e) {
        StringBuilder direct = new StringBuilder(1024);
        int[] payloadSpan = new int[2];
        int hole = CanonicalJson.writeWithHole(content(e), "seq", direct, "payload", payloadSpan);
        if (hole < 0) {
            return new PreparedEvent(e, e.payload().toString(), null, null);
        }
        // The payload's canonical form is JSON of the same value as Jackson's printing of it (objects, arrays,
        // strings, booleans, nulls and exact integers only; keys sorted, which jsonb does not keep anyway), so the
        // column holds the same jsonb, and the tree is not printed a second time.
        String payload = direct.substring(payloadSpan[0], payloadSpan[1]);
        // The hole is after an ASCII colon, so the two halves are whole characters, and their UTF-8 is the whole's.
        return new PreparedEvent(
                e,
                payload,
                direct.substring(0, hole).getBytes(StandardCharsets.UTF_8),
                direct.substring(hole).getBytes(StandardCharsets.UTF_8));
    }

    /** The link's content but its sequence number. */
    private static ObjectNode content(AuditEvent e) {
        ObjectNode node = JSON.createObjectNode();
        for (AuditField field : AuditField.values()) {
            Object value = field.value(e);
            if (value != null || field.required()) {
                node.put(field.hashName(), value == null ? null : value.toString());
            }
        }
        node.set("payload", e.payload());
        return node;
    }

    private static byte[] reference(long seq, AuditEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.setAll(content(e));
        return reference(node, e);
    }

    /** The reference canonicalizer's bytes: printed as JSON, parsed and written again by {@link JsonCanonicalizer}. */
    static byte[] reference(ObjectNode node, AuditEvent e) {
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot canonicalize event " + e.eventId(), ex);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
