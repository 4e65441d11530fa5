package io.fleetprov.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an event says happened. {@link #wire()} is the word claim-service writes; reading also accepts the
 * spellings in {@link #spellings()} in any case, because events and log rows written before the words were fixed
 * here say {@code ALLOWED} and {@code DENIED}.
 */
public enum Outcome {
    ISSUED("issued"),
    REFUSED("refused"),
    ALLOW("allow", "allowed"),
    DENY("deny", "denied"),
    EXPIRED("expired"),
    REPLACED("replaced");

    private final String wire;
    private final List<String> spellings;

    Outcome(String wire, String... older) {
        this.wire = wire;
        this.spellings = Stream.concat(Stream.of(wire), Arrays.stream(older)).toList();
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Every lower-case spelling that reads as this outcome, {@link #wire()} first. */
    public List<String> spellings() {
        return spellings;
    }

    /** True when {@code text} (any case) reads as this outcome. */
    public boolean matches(String text) {
        return text != null && spellings.contains(text.toLowerCase(Locale.ROOT));
    }

    public static Optional<Outcome> read(String text) {
        for (Outcome outcome : values()) {
            if (outcome.matches(text)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static Outcome fromJson(String text) {
        return read(text).orElseThrow(() -> new IllegalArgumentException("unknown outcome " + text));
    }

    @Override
    public String toString() {
        return wire;
    }
}
