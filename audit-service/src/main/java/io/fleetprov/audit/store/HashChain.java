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
        MessageDigest sha256 = sha256();
        sha256.update(prevHash);
        sha256.update(canonical(seq, event));
        return sha256.digest();
    }

    /** RFC 8785 bytes of the link's content. */
    public static byte[] canonical(long seq, AuditEvent e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        for (AuditField field : AuditField.values()) {
            Object value = field.value(e);
            if (value != null || field.required()) {
                node.put(field.hashName(), value == null ? null : value.toString());
            }
        }
        node.set("payload", e.payload());
        StringBuilder direct = new StringBuilder(1024);
        if (CanonicalJson.write(node, direct)) {
            return direct.toString().getBytes(StandardCharsets.UTF_8);
        }
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
