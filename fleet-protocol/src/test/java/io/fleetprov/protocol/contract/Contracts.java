package io.fleetprov.protocol.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.event.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The golden JSON of every contract, as files under {@code contracts/} in this module's test resources. Producers
 * and consumers in other modules read the same files through this module's test-jar, so a change of wire format
 * shows up as a failing test on both sides.
 */
public final class Contracts {

    private Contracts() {}

    /** An event of {@code type} as claim-service writes it. */
    public static byte[] event(EventType type) {
        return read("contracts/events/" + type.wire() + ".json");
    }

    /** The {@code kid} the golden signed event names; {@link #eventSigningKey()} holds its key pair. */
    public static final String EVENT_SIGNING_KEY_ID = "claim-service-contract";

    /**
     * The golden ClaimIssued event as it travels: a compact JWS (ES256) whose payload is exactly the bytes of
     * {@link #event(EventType) event(CLAIM_ISSUED)}, signed with {@link #eventSigningKey()}.
     */
    public static byte[] signedEvent() {
        return read("contracts/events/signed/ClaimIssued.jws");
    }

    /** A test-only P-256 key pair as PEM: a {@code PRIVATE KEY} block and its {@code PUBLIC KEY} block. */
    public static String eventSigningKey() {
        return new String(read("contracts/event-signing-test-key.pem"), StandardCharsets.US_ASCII);
    }

    /** The body of {@code POST /v1/claims}. */
    public static byte[] claimRequest() {
        return read("contracts/claim-request.json");
    }

    /** claim-service's answer to {@code POST /v1/claims}. */
    public static byte[] claimResponse() {
        return read("contracts/claim-response.json");
    }

    /** What AWS IoT sends the pre-provisioning hook. */
    public static byte[] hookRequest() {
        return read("contracts/pre-provisioning-hook-request.json");
    }

    /** What the pre-provisioning hook answers. */
    public static byte[] hookResponse() {
        return read("contracts/pre-provisioning-hook-response.json");
    }

    public static JsonNode tree(byte[] json) {
        return PayloadCodec.json().decode(json, JsonNode.class);
    }

    /** The top-level field names of a JSON object, sorted. */
    public static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static Set<String> fieldNames(byte[] json) {
        return fieldNames(tree(json));
    }

    private static byte[] read(String resource) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
