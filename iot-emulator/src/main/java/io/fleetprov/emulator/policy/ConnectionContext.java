package io.fleetprov.emulator.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the policy variables and condition keys resolve to for one connection. thingName, thingTypeName and
 * thingAttributes are present only when the connection's certificate is attached to a thing AND the MQTT client id
 * equals the thing name (AWS rule); the caller applies that rule, this record just carries the outcome.
 *
 * <p>{@code certificateSubject} and {@code certificateIssuer} map an AWS field name ({@code CommonName},
 * {@code Organization}, ...) to the values of that attribute in the certificate, in order; {@code sourceIp} is the
 * client's address as {@code aws:SourceIp} gives it. Each is empty or null when unknown.
 */
public record ConnectionContext(
        String region,
        String accountId,
        String clientId,
        String certificateId,
        String thingName,
        String thingTypeName,
        Map<String, String> thingAttributes,
        Map<String, List<String>> certificateSubject,
        Map<String, List<String>> certificateIssuer,
        String sourceIp) {

    public ConnectionContext {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(clientId, "clientId");
        thingAttributes = thingAttributes == null ? Map.of() : Map.copyOf(thingAttributes);
        certificateSubject = certificateSubject == null ? Map.of() : Map.copyOf(certificateSubject);
        certificateIssuer = certificateIssuer == null ? Map.of() : Map.copyOf(certificateIssuer);
    }

    /** A connection whose certificate fields and address are not known. */
    public ConnectionContext(
            String region,
            String accountId,
            String clientId,
            String certificateId,
            String thingName,
            String thingTypeName,
            Map<String, String> thingAttributes) {
        this(
                region,
                accountId,
                clientId,
                certificateId,
                thingName,
                thingTypeName,
                thingAttributes,
                Map.of(),
                Map.of(),
                null);
    }
}
