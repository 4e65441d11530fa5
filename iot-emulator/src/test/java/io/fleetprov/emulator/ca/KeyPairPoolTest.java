package io.fleetprov.emulator.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPairPoolTest {

    @Test
    void ecPoolHandsOutDistinctUsablePairsAndRefills() throws Exception {
        try (KeyPairPool pool = new KeyPairPool(KeyAlgorithm.EC_P256, 3)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.available() == 3);

            List<KeyPair> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // more than the pool holds: the rest is generated inline
                taken.add(pool.take());
            }

            assertThat(taken).extracting(KeyPair::getPublic).doesNotHaveDuplicates();
            for (KeyPair pair : taken) {
                assertThat(pair.getPublic()).isInstanceOf(ECPublicKey.class);
                assertThat(usable(pair, "SHA256withECDSA")).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.available() == 3);
            assertThat(pool.algorithm()).isEqualTo(KeyAlgorithm.EC_P256);
        }
    }

    @Test
    void rsaPoolHandsOutDistinct2048BitPairs() throws Exception {
        try (KeyPairPool pool = new KeyPairPool(KeyAlgorithm.RSA_2048, 1)) {
            KeyPair first = pool.take();
            KeyPair second = pool.take();

            assertThat(first.getPublic()).isNotEqualTo(second.getPublic());
            for (KeyPair pair : List.of(first, second)) {
                assertThat(((RSAPublicKey) pair.getPublic()).getModulus().bitLength())
                        .isEqualTo(2048);
                assertThat(usable(pair, "SHA256withRSA")).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> pool.available() == 1);
        }
    }

    @Test
    void closeStopsTheRefillThreadButTakeStillWorks() {
        KeyPairPool pool = new KeyPairPool(KeyAlgorithm.EC_P256, 2);
        assertThat(pool.refilling()).isTrue();

        pool.close();

        assertThat(pool.refilling()).isFalse();
        pool.take();
        pool.take();
        assertThat(pool.take()).isNotNull();
        assertThat(pool.available()).isZero();
    }

    @Test
    void sizeZeroStartsNoThread() {
        try (KeyPairPool pool = new KeyPairPool(KeyAlgorithm.EC_P256, 0)) {
            assertThat(pool.refilling()).isFalse();
            assertThat(pool.take().getPublic()).isInstanceOf(ECPublicKey.class);
            assertThat(pool.available()).isZero();
        }
    }

    @Test
    void refusesANegativeSize() {
        assertThatThrownBy(() -> new KeyPairPool(KeyAlgorithm.EC_P256, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean usable(KeyPair pair, String algorithm) throws Exception {
        byte[] data = "pool".getBytes();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update(data);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        return verifier.verify(signer.sign());
    }
}
