package io.fleetprov.audit.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The chain rule: {@code hash = SHA-256(prevHash || canonical JSON)}, where the canonical JSON is RFC 8785 (JCS)
 * applied to every stored column except the two hashes. Because derived columns are inside the hash too, changing
 * an indexed column (say, the installer) without touching the payload still breaks the link.
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
        node.put("eventId", e.eventId());
        node.put("eventType", e.eventType());
        node.put("source", e.source());
        node.put("topic", e.topic());
        putTime(node, "occurredAt", e.occurredAt());
        putTime(node, "receivedAt", e.receivedAt());
        putIfPresent(node, "installer", e.installer());
        putIfPresent(node, "serialNumber", e.serialNumber());
        putIfPresent(node, "templateName", e.templateName());
        putIfPresent(node, "claimCertificateId", e.claimCertificateId());
        putIfPresent(node, "certificateId", e.certificateId());
        putIfPresent(node, "thingName", e.thingName());
        putIfPresent(node, "clientId", e.clientId());
        putIfPresent(node, "outcome", e.outcome());
        putIfPresent(node, "reason", e.reason());
        node.set("payload", e.payload());
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot canonicalize event " + e.eventId(), ex);
        }
    }

    private static void putTime(ObjectNode node, String name, Instant value) {
        node.put(name, value.toString());
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
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
