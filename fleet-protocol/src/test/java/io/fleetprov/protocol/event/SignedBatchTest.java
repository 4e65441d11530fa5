package io.fleetprov.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.contract.Contracts;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedBatchTest {

    private static final String PEM = Contracts.eventSigningKey();
    private static final EventSigner SIGNER = EventSigner.fromPem(Contracts.EVENT_SIGNING_KEY_ID, PEM);
    private static final EventVerifier VERIFIER =
            new EventVerifier(Map.of(Contracts.EVENT_SIGNING_KEY_ID, EventKeys.publicKey(PEM)));

    @Test
    void batchVerifiesAndKeepsEveryEnvelopeInOrder() {
        List<byte[]> envelopes = List.of(compact(EventType.CLAIM_ISSUED), compact(EventType.HOOK_DECISION));
        byte[] message = SIGNER.signBatch(envelopes).getBytes(StandardCharsets.US_ASCII);

        SignedBatch batch = VERIFIER.verifyBatch(message);

        assertThat(batch.signer()).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertThat(batch.envelopes()).containsExactlyElementsOf(envelopes);
        assertThat(batch.message()).isEqualTo(message);
        assertThat(batch.digest()).hasSize(64).isEqualTo(SignedBatch.digest(message));
        assertThat(EventVerifier.isBatch(message)).isTrue();
        assertThat(EventVerifier.claimsBatch(message)).isTrue();
        assertThat(EventVerifier.unverifiedBatch(message)).containsExactlyElementsOf(envelopes);
    }

    @Test
    void aBatchIsNeverTakenForAnEventNorAnEventForABatch() {
        byte[] batch =
                SIGNER.signBatch(List.of(compact(EventType.CLAIM_ISSUED))).getBytes(StandardCharsets.US_ASCII);
        byte[] single = Contracts.signedEvent();

        assertThatThrownBy(() -> VERIFIER.verify(batch))
                .isInstanceOf(EventSignatureException.class)
                .hasMessageContaining("typ");
        assertThatThrownBy(() -> VERIFIER.verifyBatch(single))
                .isInstanceOf(EventSignatureException.class)
                .hasMessageContaining("typ");
        assertThat(EventVerifier.isBatch(single)).isFalse();
        assertThat(EventVerifier.claimsBatch(single)).isFalse();
        for (String hostile : List.of("{}", "", ".", "..", "!!!.x.y", "e30.x.y", " \n", "a".repeat(5000) + ".x.y")) {
            assertThat(EventVerifier.claimsBatch(hostile.getBytes(StandardCharsets.US_ASCII)))
                    .as(hostile.length() > 20 ? "an oversized header" : hostile)
                    .isFalse();
        }
        assertThat(EventVerifier.isBatch("{}".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    @Test
    void anEventChangedInsideASignedBatchFailsTheWholeBatch() {
        String jws = SIGNER.signBatch(List.of(compact(EventType.CLAIM_ISSUED), compact(EventType.HOOK_DECISION)));
        String[] parts = jws.split("\\.");
        byte[] forged = SignedBatch.payload(List.of(
                compact(EventType.CLAIM_ISSUED),
                new String(compact(EventType.HOOK_DECISION), StandardCharsets.UTF_8)
                        .replace("SN-", "XX-")
                        .getBytes(StandardCharsets.UTF_8)));
        String tampered = parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged) + "." + parts[2];

        assertThatThrownBy(() -> VERIFIER.verifyBatch(tampered.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(EventSignatureException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void signerRefusesEmptyOversizedAndMultiLineBatches() {
        assertThatThrownBy(() -> SIGNER.signBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SIGNER.signBatch(
                        Collections.nCopies(SignedBatch.MAX_EVENTS + 1, compact(EventType.CLAIM_ISSUED))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SIGNER.signBatch(List.of("{\"a\":\n1}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A golden envelope as a producer writes it: compact JSON. */
    private static byte[] compact(EventType type) {
        return PayloadCodec.json().encode(PayloadCodec.json().decode(Contracts.event(type), FleetEvent.class));
    }

    @Test
    void aSignersSelfVerifierTrustsItsOwnKeyOnly() {
        byte[] own = SIGNER.signBatch(List.of(compact(EventType.CLAIM_ISSUED))).getBytes(StandardCharsets.US_ASCII);
        byte[] other = new EventSigner(
                        Contracts.EVENT_SIGNING_KEY_ID, EventKeys.generate().getPrivate())
                .signBatch(List.of(compact(EventType.CLAIM_ISSUED)))
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(SIGNER.selfVerifier().verifyBatch(own).signer()).isEqualTo(Contracts.EVENT_SIGNING_KEY_ID);
        assertThatThrownBy(() -> SIGNER.selfVerifier().verifyBatch(other))
                .isInstanceOf(EventSignatureException.class)
                .hasMessageContaining("does not verify");
    }
}
