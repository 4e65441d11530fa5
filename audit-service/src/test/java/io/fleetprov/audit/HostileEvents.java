package io.fleetprov.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.protocol.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates audit messages an attacker or a broken publisher could send: well-formed envelopes (fleetprov, AWS thing
 * and presence events) carrying hostile values — huge strings, U+0000, unpaired surrogates, absurd dates, wrong
 * types, deep nesting, unknown types, numbers beyond a double — in JSON and CBOR, byte-mutated copies, random bytes,
 * and exact redeliveries of earlier messages. Seeded, so a failure can be replayed.
 */
final class HostileEvents {

    /** One generated message; {@code redeliveryOf} is the event id of the message it repeats, if it is a copy. */
    record Message(String topic, byte[] payload, String redeliveryOf) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONE_SURROGATE = "@@LONE@@";
    private static final String DEEP = "@@DEEP@@";

    static final List<String> ABSURD_DATES = List.of(
            "+300000-01-01T00:00:00Z",
            "-300000-01-01T00:00:00Z",
            "+294276-12-31T23:59:59.999Z",
            "+294277-01-01T00:00:00Z",
            "-4713-11-24T00:00:00Z",
            "-4712-01-01T00:00:00Z",
            "-4713-11-23T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "1000-06-15T12:00:00Z",
            "1582-10-10T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999Z",
            "2024-02-30T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "not a date",
            "");

    private static final String[] TYPES = {
        "ClaimIssued", "ClaimRefused", "HookDecision", "ClaimExpiredUnused", "DeviceReplaced", "Unknown", "x"
    };
    private static final String[] FIELDS = {
        "eventId",
        "type",
        "occurredAt",
        "source",
        "installer",
        "serialNumber",
        "templateName",
        "claimCertificateId",
        "certificateId",
        "thingName",
        "outcome",
        "reason",
        "traceId"
    };

    private final Random random;
    private final boolean forMqtt;
    private final List<Message> sent = new ArrayList<>();
    private final List<String> sentIds = new ArrayList<>();
    private String lastId;

    /** {@code forMqtt}: topics the broker accepts and payloads under its 128 KB limit. */
    HostileEvents(long seed, boolean forMqtt) {
        this.random = new Random(seed);
        this.forMqtt = forMqtt;
    }

    Message next() {
        int kind = random.nextInt(100);
        Message m;
        lastId = null;
        if (kind < 40) {
            m = remember(fleetEvent(true));
        } else if (kind < 48) {
            m = signed(cbor(fleetEvent(true)));
        } else if (kind < 58) {
            m = remember(thingEvent());
        } else if (kind < 68) {
            m = presenceEvent();
        } else if (kind < 78) {
            m = signed(mutate(fleetEvent(false)));
        } else if (kind < 83) {
            m = signed(new Message(fleetTopic(pick(TYPES)), bytes(random.nextInt(2000)), null));
        } else if (kind < 88) {
            m = signed(mutate(cbor(fleetEvent(false))));
        } else if (kind < 94 && !sent.isEmpty()) {
            int i = random.nextInt(sent.size());
            Message original = sent.get(i);
            return new Message(original.topic(), original.payload(), sentIds.get(i));
        } else {
            m = remember(fleetEvent(false));
        }
        return m;
    }

    private Message fleetEvent(boolean hostile) {
        String type = pick(TYPES);
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("occurredAt", Instant.now().toString());
        e.put("source", "claim-service");
        e.put("installer", "installer-" + random.nextInt(50));
        e.put("serialNumber", "SN-" + random.nextInt(100_000));
        e.put("templateName", "audit-template");
        e.put("claimCertificateId", Long.toHexString(random.nextLong()));
        e.put("outcome", random.nextBoolean() ? "ALLOWED" : "DENIED");
        e.put("traceId", Long.toHexString(random.nextLong()));
        String topicType = type;
        if (hostile) {
            int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++) {
                switch (random.nextInt(11)) {
                    case 0 -> e.put(pick(FIELDS), huge());
                    case 1 -> e.put(pick(FIELDS), "a\u0000b");
                    case 2 -> e.put(pick(FIELDS), LONE_SURROGATE);
                    case 3 -> e.put("occurredAt", pick(ABSURD_DATES));
                    case 4 -> wrongType(e, pick(FIELDS));
                    case 5 -> e.put("nested", DEEP);
                    case 6 ->
                        e.put(
                                "amount",
                                pick(List.of(
                                        "1e400",
                                        "-1e400",
                                        "123456789012345678901234567890",
                                        "-0.0",
                                        "1.7976931348623157e308",
                                        "4.9e-324")));
                    case 7 -> topicType = pick(TYPES);
                    case 8 -> e.remove(pick(FIELDS));
                    case 9 -> e.put(pick(FIELDS), UUID.randomUUID() + "x".repeat(170 + random.nextInt(400)));
                    default -> e.put("\u00e9moji \ud83d\ude00", "\ud83d\udca5 " + random.nextInt());
                }
            }
        }
        var storedId = e.get("eventId");
        lastId = storedId != null && storedId.isTextual() ? storedId.textValue() : null;
        return new Message(fleetTopic(topicType), json(e), null);
    }

    private Message thingEvent() {
        String name = "thing-" + random.nextInt(1000);
        String op = pick(List.of("created", "updated", "deleted", "exploded"));
        ObjectNode e = JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        e.put("eventId", id);
        e.put("eventType", "THING_EVENT");
        e.put("operation", op.toUpperCase());
        e.put("thingName", random.nextInt(10) == 0 ? name + "-other" : name);
        e.put("thingId", UUID.randomUUID().toString());
        e.putObject("attributes").put("SerialNumber", random.nextInt(8) == 0 ? huge() : "SN-" + random.nextInt());
        timestamp(e);
        lastId = id;
        return new Message("$aws/events/thing/" + name + "/" + op, json(e), null);
    }

    private Message presenceEvent() {
        String clientId = "client-" + random.nextInt(1000);
        String type = pick(List.of("connected", "disconnected", "subscribed"));
        ObjectNode e = JSON.createObjectNode();
        e.put("clientId", clientId);
        e.put("eventType", type);
        e.put(
                "sessionIdentifier",
                random.nextInt(10) == 0 ? LONE_SURROGATE : UUID.randomUUID().toString());
        e.put("principalIdentifier", random.nextInt(10) == 0 ? huge() : Long.toHexString(random.nextLong()));
        e.put("versionNumber", 1);
        timestamp(e);
        return new Message("$aws/events/presence/" + type + "/" + clientId, json(e), null);
    }

    private void timestamp(ObjectNode e) {
        switch (random.nextInt(8)) {
            case 0 -> e.put("timestamp", Long.MAX_VALUE);
            case 1 -> e.put("timestamp", -1);
            case 2 -> e.put("timestamp", 1.5);
            case 3 -> e.put("timestamp", "1700000000000");
            case 4 -> e.put("timestamp", 9_000_000_000_000_000L); // about year 287,000: inside PostgreSQL's range
            case 5 -> e.put("timestamp", 9_300_000_000_000_000L); // beyond year 294,276
            default -> e.put("timestamp", System.currentTimeMillis() - random.nextInt(1_000_000));
        }
    }

    private void wrongType(ObjectNode e, String field) {
        switch (random.nextInt(5)) {
            case 0 -> e.put(field, random.nextLong());
            case 1 -> e.put(field, random.nextBoolean());
            case 2 -> e.putObject(field).put("nested", "value");
            case 3 -> e.putArray(field).add(1).add("two");
            default -> e.putNull(field);
        }
    }

    private Message cbor(Message json) {
        try {
            byte[] payload = PayloadCodec.cbor().encode(JSON.readTree(json.payload()));
            return new Message(json.topic(), payload, null);
        } catch (Exception e) {
            return json; // not JSON Jackson reads back (an unpaired surrogate, deep nesting): send it as it is
        }
    }

    private Message mutate(Message m) {
        byte[] p = m.payload().clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && p.length > 0; i++) {
            switch (random.nextInt(3)) {
                case 0 -> p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                case 1 -> p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                default -> p = java.util.Arrays.copyOf(p, random.nextInt(p.length));
            }
        }
        return new Message(m.topic(), p, null);
    }

    /** Keeps a message sent exactly as generated, with the event id it carries, for a later redelivery. */
    /**
     * Most fleetprov messages signed by the trusted test key, as a compromised or buggy claim-service would send them
     * (so the parser behind the signature check is fuzzed too); one in twenty left as it is, unsigned.
     */
    private Message signed(Message m) {
        if (!m.topic().startsWith("fleetprov/events/") || random.nextInt(20) == 0) {
            return m;
        }
        return new Message(m.topic(), ClaimServiceEvents.signed(m.payload()), m.redeliveryOf());
    }

    private Message remember(Message unsigned) {
        Message m = signed(unsigned);
        if (lastId != null) {
            sent.add(m);
            sentIds.add(lastId);
        }
        return m;
    }

    private String fleetTopic(String type) {
        if (!forMqtt && random.nextInt(50) == 0) {
            return "fleetprov/events/" + type + "\u0000"; // a NUL no broker would pass
        }
        return "fleetprov/events/" + type;
    }

    private byte[] json(ObjectNode e) {
        String text = e.toString();
        text = text.replace(LONE_SURROGATE, "lone \\ud800 surrogate");
        if (text.contains(DEEP)) {
            int depth = 10 + random.nextInt(forMqtt ? 900 : 1500);
            text = text.replace("\"" + DEEP + "\"", "[".repeat(depth) + "]".repeat(depth));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String huge() {
        // Over MQTT an event may get up to three of these and is then signed (base64, a third larger): at most
        // 78,000 characters stay well under the broker's 128 KB, which is the broker's limit to test, not ingest's.
        int length = forMqtt ? 1000 + random.nextInt(25_000) : 1000 + random.nextInt(200_000);
        return "h".repeat(length);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
