package io.fleetprov.protocol.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Several events in one MQTT message, under one signature: the producer-side batching of audit ingest. The broker
 * accepts a few thousand QoS 1 messages a second here and ES256 verification costs about as much as storing an
 * event, so one message and one signature for many events is what lets audit ingest keep up with the database.
 *
 * <p>The wire form is a compact JWS like a {@link SignedEvent}'s, with {@code typ} {@value #TYPE} (so neither can be
 * taken for the other) and, as payload, the events' JSON envelopes exactly as written, one per line (JSON Lines:
 * each envelope is compact JSON, whose strings escape every line feed). A batch is published on the topic of its
 * events' type, {@code fleetprov/events/{type}}, so every event of it has that type; a consumer de-duplicates its
 * events on their {@code eventId} as it does single events, and keeps each as its own row. The signature covers the
 * whole batch, not each event: what a consumer keeps to prove an event's origin later is the batch's {@link
 * #message()} (once, under its {@link #digest()}), which verifies with the signer's key and holds the envelope.
 */
public record SignedBatch(String signer, byte[] message, List<byte[]> envelopes) {

    /** The JWS {@code typ} of a batch. */
    public static final String TYPE = "fleetprov-event-batch+jws";

    /** The most events one batch may carry; a consumer refuses a larger one whole. */
    public static final int MAX_EVENTS = 500;

    public SignedBatch {
        message = message.clone();
        envelopes = envelopes.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public List<byte[]> envelopes() {
        return envelopes.stream().map(byte[]::clone).toList();
    }

    /** The lowercase hex SHA-256 of the message as received: the name under which a consumer may keep it. */
    public String digest() {
        return digest(message);
    }

    /** {@link #digest()} of any message. */
    public static String digest(byte[] message) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The JWS payload of a batch: the envelopes, each followed by a line feed but the last. */
    static byte[] payload(List<byte[]> envelopes) {
        if (envelopes.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        if (envelopes.size() > MAX_EVENTS) {
            throw new IllegalArgumentException(
                    "a batch holds at most " + MAX_EVENTS + " events, not " + envelopes.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] envelope : envelopes) {
            for (byte b : envelope) {
                if (b == '\n' || b == '\r') {
                    throw new IllegalArgumentException("an envelope in a batch is compact JSON, on one line");
                }
            }
            if (out.size() > 0) {
                out.write('\n');
            }
            out.write(envelope, 0, envelope.length);
        }
        return out.toByteArray();
    }

    /** The envelopes of a batch payload (the lines; an empty line is kept, and refused by the consumer's parse). */
    static List<byte[]> envelopes(byte[] payload) {
        List<byte[]> envelopes = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= payload.length; i++) {
            if (i == payload.length || payload[i] == '\n') {
                byte[] line = new byte[i - start];
                System.arraycopy(payload, start, line, 0, line.length);
                envelopes.add(line);
                start = i + 1;
            }
        }
        return envelopes;
    }

    /** The text of one envelope, for a producer that compares it with what it wrote. */
    public static String text(byte[] envelope) {
        return new String(envelope, StandardCharsets.UTF_8);
    }
}
