package io.fleetprov.protocol.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fleetprov.protocol.PayloadFormat;
import java.io.IOException;

/**
 * Encodes and decodes fleet-provisioning payloads in JSON or CBOR with the same key names. Decoding ignores
 * unknown fields (the device SDK sends extra ones), treats an empty payload as an empty object (AWS accepts an
 * empty CreateKeysAndCertificate request), and refuses malformed or oversized input with a
 * {@link PayloadException}. Instances are immutable and thread-safe.
 */
public final class PayloadCodec {

    /** AWS IoT Core's MQTT message size limit. */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;

    private static final PayloadCodec JSON = new PayloadCodec(
            PayloadFormat.JSON,
            configure(JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build()));
    private static final PayloadCodec CBOR = new PayloadCodec(
            PayloadFormat.CBOR,
            configure(CBORMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build()));

    private static final byte[] EMPTY_JSON_OBJECT = {'{', '}'};
    private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xA0};

    private final PayloadFormat format;
    private final ObjectMapper mapper;

    private PayloadCodec(PayloadFormat format, ObjectMapper mapper) {
        this.format = format;
        this.mapper = mapper;
    }

    public static PayloadCodec of(PayloadFormat format) {
        return format == PayloadFormat.JSON ? JSON : CBOR;
    }

    public static PayloadCodec json() {
        return JSON;
    }

    public static PayloadCodec cbor() {
        return CBOR;
    }

    public PayloadFormat format() {
        return format;
    }

    public <T> T decode(byte[] payload, Class<T> type) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PayloadException(
                    PayloadException.Reason.OVERSIZED,
                    "payload of " + payload.length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes",
                    null);
        }
        byte[] input = isBlank(payload) ? emptyObject() : payload;
        try {
            T value = mapper.readValue(input, type);
            if (value == null) {
                throw new PayloadException(
                        PayloadException.Reason.MALFORMED,
                        "malformed " + format.topicLevel().toUpperCase() + " payload: expected an object, got null",
                        null);
            }
            return value;
        } catch (IOException e) {
            throw new PayloadException(
                    PayloadException.Reason.MALFORMED,
                    "malformed " + format.topicLevel().toUpperCase() + " payload: " + firstLine(e),
                    e);
        }
    }

    /**
     * Reads a value out of a tree this codec decoded, with the same rules as {@link #decode}; for consumers that keep
     * the payload as received beside the typed value.
     */
    public <T> T convert(JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new PayloadException(
                    PayloadException.Reason.MALFORMED,
                    "malformed " + format.topicLevel().toUpperCase() + " payload: " + firstLine(e),
                    e);
        }
    }

    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private byte[] emptyObject() {
        return format == PayloadFormat.JSON ? EMPTY_JSON_OBJECT : EMPTY_CBOR_MAP;
    }

    private boolean isBlank(byte[] payload) {
        if (format == PayloadFormat.CBOR) {
            return payload.length == 0;
        }
        for (byte b : payload) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** Jackson's messages carry a source excerpt on later lines; the first line says what was wrong. */
    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <M extends ObjectMapper> M configure(M mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        mapper.registerModule(new JavaTimeModule());
        return mapper;
    }
}
