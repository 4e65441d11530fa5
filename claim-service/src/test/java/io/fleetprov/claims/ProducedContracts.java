package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import io.fleetprov.protocol.event.FleetEvent;
import io.fleetprov.protocol.event.SignedBatch;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.protocol.hook.PreProvisioningHookResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;

/** What claim-service put on the wire, held against fleet-protocol's golden files. */
final class ProducedContracts {

    private ProducedContracts() {}

    /** The event carries exactly the golden file's fields for its type, with its type and outcome words. */
    static void assertEventMatchesContract(JsonNode produced) {
        FleetEvent event = PayloadCodec.json().convert(produced, FleetEvent.class);
        JsonNode golden = Contracts.tree(Contracts.event(event.type()));
        assertThat(Contracts.fieldNames(produced))
                .as("fields of %s", event.type())
                .isEqualTo(Contracts.fieldNames(golden));
        assertThat(produced.get("outcome")).isEqualTo(golden.get("outcome"));
        assertThat(TraceIds.isTraceId(event.traceId()))
                .as("traceId %s is a W3C trace id", event.traceId())
                .isTrue();
    }

    /**
     * The message is signed as the golden signed event is: a compact JWS whose header has the same fields, ES256 and
     * the event {@code typ}, under claim-service's kid, carrying an envelope that matches its contract.
     */
    static void assertSignedAsContract(EventListener.Received produced) {
        assertThat(produced.signer()).isEqualTo(EventListener.KID);
        JsonNode header = header(produced.message());
        JsonNode goldenHeader = header(new String(Contracts.signedEvent(), StandardCharsets.US_ASCII).strip());
        assertThat(Contracts.fieldNames(header)).isEqualTo(Contracts.fieldNames(goldenHeader));
        assertThat(header.get("alg")).isEqualTo(goldenHeader.get("alg"));
        // The relay sends signed batches (fleet-protocol's SignedBatch); a single signed event is the golden one.
        assertThat(header.get("typ").asText()).isIn(goldenHeader.get("typ").asText(), SignedBatch.TYPE);
        assertThat(header.get("kid").asText()).isEqualTo(EventListener.KID);
        assertEventMatchesContract(produced.event());
    }

    private static JsonNode header(String compact) {
        return Contracts.tree(Base64.getUrlDecoder().decode(compact.substring(0, compact.indexOf('.'))));
    }

    /** The claim response carries exactly the golden file's fields, and reads as a {@link ClaimResponse}. */
    static void assertClaimResponseMatchesContract(Map<String, Object> produced) {
        assertThat(new TreeSet<>(produced.keySet())).isEqualTo(Contracts.fieldNames(Contracts.claimResponse()));
        ClaimResponse response = PayloadCodec.json().decode(PayloadCodec.json().encode(produced), ClaimResponse.class);
        assertThat(response.privateKey()).startsWith("-----BEGIN");
        assertThat(response.expiresAt()).isNotNull();
    }

    /** The hook's answer carries the golden file's fields and reads as a {@link PreProvisioningHookResponse}. */
    static void assertHookResponseMatchesContract(byte[] produced) {
        assertThat(Contracts.fieldNames(produced)).isEqualTo(Contracts.fieldNames(Contracts.hookResponse()));
        assertThat(PayloadCodec.json()
                        .decode(produced, PreProvisioningHookResponse.class)
                        .allowed())
                .isTrue();
    }
}
