package io.fleetprov.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the chain rule to bytes computed before the envelope was described in one place: an existing database
 * verifies only while these stay identical.
 */
class HashChainTest {

    private static final String HOOK_DECISION_HASH = "93421d0351eeb1a922e7fe6c3cc44e07610123de2b747d92a749eca8ee0e599c";

    private static final String PAYLOAD =
            "{\"eventId\":\"0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11\",\"type\":\"HookDecision\","
                    + "\"occurredAt\":\"2026-03-04T05:06:07.123Z\",\"source\":\"claim-service\",\"installer\":\"inst-1\","
                    + "\"serialNumber\":\"SN-1\",\"templateName\":\"t\",\"claimCertificateId\":\"claim-1\","
                    + "\"certificateId\":\"cert-1\",\"outcome\":\"allow\",\"reason\":\"claim-bound-serial-matches\","
                    + "\"traceId\":\"abc\"}";

    @Test
    void keepsTheCanonicalFormAndHashOfAnExistingLink() throws Exception {
        AuditEvent event = new AuditEvent(
                "0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11",
                "HookDecision",
                "claim-service",
                "fleetprov/events/HookDecision",
                Instant.parse("2026-03-04T05:06:07.123Z"),
                Instant.parse("2026-03-04T05:06:08.456Z"),
                "inst-1",
                "SN-1",
                "t",
                "claim-1",
                "cert-1",
                null,
                null,
                "allow",
                "claim-bound-serial-matches",
                null,
                null,
                null,
                new ObjectMapper().readTree(PAYLOAD));

        assertThat(new String(HashChain.canonical(42, event), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"certificateId\":\"cert-1\",\"claimCertificateId\":\"claim-1\",\"eventId\":\"0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11\",\"eventType\":\"HookDecision\",\"installer\":\"inst-1\",\"occurredAt\":\"2026-03-04T05:06:07.123Z\",\"outcome\":\"allow\",\"payload\":{\"certificateId\":\"cert-1\",\"claimCertificateId\":\"claim-1\",\"eventId\":\"0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11\",\"installer\":\"inst-1\",\"occurredAt\":\"2026-03-04T05:06:07.123Z\",\"outcome\":\"allow\",\"reason\":\"claim-bound-serial-matches\",\"serialNumber\":\"SN-1\",\"source\":\"claim-service\",\"templateName\":\"t\",\"traceId\":\"abc\",\"type\":\"HookDecision\"},\"reason\":\"claim-bound-serial-matches\",\"receivedAt\":\"2026-03-04T05:06:08.456Z\",\"seq\":42,\"serialNumber\":\"SN-1\",\"source\":\"claim-service\",\"templateName\":\"t\",\"topic\":\"fleetprov/events/HookDecision\"}");
        assertThat(HexFormat.of().formatHex(HashChain.hash(HashChain.GENESIS, 42, event)))
                .isEqualTo(HOOK_DECISION_HASH);
    }

    @Test
    void keepsTheHashOfAnAwsPresenceLink() throws Exception {
        AuditEvent event = new AuditEvent(
                "presence:dev-1:1772600767123:disconnected:s-1",
                "PresenceDisconnected",
                "aws-iot",
                "$aws/events/presence/disconnected/dev-1",
                Instant.parse("2026-03-04T05:06:07.123Z"),
                Instant.parse("2026-03-04T05:06:07.200Z"),
                null,
                null,
                null,
                null,
                "cert-1",
                null,
                "dev-1",
                null,
                "CLIENT_INITIATED_DISCONNECT",
                null,
                null,
                null,
                new ObjectMapper()
                        .readTree(
                                "{\"clientId\":\"dev-1\",\"timestamp\":1772600767123,"
                                        + "\"eventType\":\"disconnected\",\"sessionIdentifier\":\"s-1\","
                                        + "\"principalIdentifier\":\"cert-1\",\"disconnectReason\":\"CLIENT_INITIATED_DISCONNECT\"}"));
        assertThat(new String(HashChain.canonical(43, event), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"certificateId\":\"cert-1\",\"clientId\":\"dev-1\",\"eventId\":\"presence:dev-1:1772600767123:disconnected:s-1\",\"eventType\":\"PresenceDisconnected\",\"occurredAt\":\"2026-03-04T05:06:07.123Z\",\"payload\":{\"clientId\":\"dev-1\",\"disconnectReason\":\"CLIENT_INITIATED_DISCONNECT\",\"eventType\":\"disconnected\",\"principalIdentifier\":\"cert-1\",\"sessionIdentifier\":\"s-1\",\"timestamp\":1772600767123},\"reason\":\"CLIENT_INITIATED_DISCONNECT\",\"receivedAt\":\"2026-03-04T05:06:07.200Z\",\"seq\":43,\"source\":\"aws-iot\",\"topic\":\"$aws/events/presence/disconnected/dev-1\"}");
        assertThat(HexFormat.of().formatHex(HashChain.hash(HexFormat.of().parseHex(HOOK_DECISION_HASH), 43, event)))
                .isEqualTo("20a01934085d12cf1ecccaa24a31b09d85326d469fdda9bc1ca813bce899ced1");
    }

    @Test
    void theTraceIdColumnIsInsideTheLink() throws Exception {
        String payload = PAYLOAD.replace("\"abc\"", "\"4bf92f3577b34da6a3ce929d0e0e4736\"");
        AuditEvent withTrace = new AuditEvent(
                "0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11",
                "HookDecision",
                "claim-service",
                "fleetprov/events/HookDecision",
                Instant.parse("2026-03-04T05:06:07.123Z"),
                Instant.parse("2026-03-04T05:06:08.456Z"),
                "inst-1",
                "SN-1",
                "t",
                "claim-1",
                "cert-1",
                null,
                null,
                "allow",
                "claim-bound-serial-matches",
                null,
                "4bf92f3577b34da6a3ce929d0e0e4736",
                null,
                new ObjectMapper().readTree(payload));
        AuditEvent columnMoved = new AuditEvent(
                withTrace.eventId(),
                withTrace.eventType(),
                withTrace.source(),
                withTrace.topic(),
                withTrace.occurredAt(),
                withTrace.receivedAt(),
                withTrace.installer(),
                withTrace.serialNumber(),
                withTrace.templateName(),
                withTrace.claimCertificateId(),
                withTrace.certificateId(),
                withTrace.thingName(),
                withTrace.clientId(),
                withTrace.outcome(),
                withTrace.reason(),
                withTrace.signer(),
                "0af7651916cd43dd8448eb211c80319c",
                withTrace.signedBatch(),
                withTrace.payload());

        assertThat(new String(HashChain.canonical(42, withTrace), StandardCharsets.UTF_8))
                .contains(",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",");
        // Moving a row into another trace by its indexed column alone breaks the link.
        assertThat(HashChain.hash(HashChain.GENESIS, 42, columnMoved))
                .isNotEqualTo(HashChain.hash(HashChain.GENESIS, 42, withTrace));
    }

    @Test
    void theSignedBatchColumnIsInsideTheLinkAndAbsentFromSingleEvents() throws Exception {
        AuditEvent single = new AuditEvent(
                "0b7e6c52-2f0c-4b8e-9a53-3c1f1d2f9e11",
                "HookDecision",
                "claim-service",
                "fleetprov/events/HookDecision",
                Instant.parse("2026-03-04T05:06:07.123Z"),
                Instant.parse("2026-03-04T05:06:08.456Z"),
                "inst-1",
                "SN-1",
                "t",
                "claim-1",
                "cert-1",
                null,
                null,
                "allow",
                "claim-bound-serial-matches",
                null,
                null,
                null,
                new ObjectMapper().readTree(PAYLOAD));
        String digest = "aa".repeat(32);
        AuditEvent batched = single.inBatch(digest);

        assertThat(new String(HashChain.canonical(42, single), StandardCharsets.UTF_8))
                .doesNotContain("signedBatch");
        assertThat(new String(HashChain.canonical(42, batched), StandardCharsets.UTF_8))
                .contains(",\"signedBatch\":\"" + digest + "\",");
        // Pointing a row at another batch by its column alone breaks the link.
        assertThat(HashChain.hash(HashChain.GENESIS, 42, batched.inBatch("bb".repeat(32))))
                .isNotEqualTo(HashChain.hash(HashChain.GENESIS, 42, batched));
    }

    @Test
    void aPreparedLinkHashesAsTheEventAndItsPayloadTextIsTheSameJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String payload : new String[] {
            PAYLOAD,
            "{\"b\":[1,-2,{\"z\":null,\"a\":true}],\"a\":\"\\u00e9 \\\" \\\\ \\n \\u001f \\u2028 \\ud83d\\ude00\"}",
            // A fraction: only the reference canonicalizer writes it, so the link is hashed from the event.
            "{\"eventId\":\"e\",\"n\":1.5,\"big\":12345678901234567890}"
        }) {
            AuditEvent event = new AuditEvent(
                    "e-1",
                    "HookDecision",
                    "claim-service",
                    "fleetprov/events/HookDecision",
                    Instant.parse("2026-03-04T05:06:07.123Z"),
                    Instant.parse("2026-03-04T05:06:08.456Z"),
                    "inst-\u00e9",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    json.readTree(payload));
            PreparedEvent prepared = HashChain.prepare(event);
            for (long seq : new long[] {1, 42, 9_007_199_254_740_993L}) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(HashChain.GENESIS);
                sha256.update(HashChain.reference(referenceNode(json, seq, event), event));
                assertThat(HashChain.hash(HashChain.GENESIS, seq, prepared))
                        .as(payload + " at " + seq)
                        .isEqualTo(sha256.digest());
            }
            assertThat(json.readTree(prepared.payloadJson())).as(payload).isEqualTo(event.payload());
        }
    }

    /** The link's content as a tree, for the reference canonicalizer. */
    private static ObjectNode referenceNode(ObjectMapper json, long seq, AuditEvent e) {
        ObjectNode node = json.createObjectNode();
        node.put("seq", seq);
        for (AuditField field : AuditField.values()) {
            Object value = field.value(e);
            if (value != null || field.required()) {
                node.put(field.hashName(), value == null ? null : value.toString());
            }
        }
        node.set("payload", e.payload());
        return node;
    }
}
