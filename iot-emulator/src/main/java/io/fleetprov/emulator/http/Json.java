package io.fleetprov.emulator.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;

/** JSON as the rest-json protocol wants it: absent members omitted, unknown members ignored. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Timestamps are epoch seconds with millisecond fractions; scientific notation would confuse parsers.
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .setDefaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

    private Json() {}

    /** A model {@code timestamp}: a JSON number of epoch seconds (rest-json's default format). */
    static BigDecimal epochSeconds(Instant instant) {
        return instant == null ? null : BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
