package io.fleetprov.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class AwsLcTest {

    /** Where the declared jar's library is meant to load, a missing provider would fall back to Bouncy Castle unseen. */
    @Test
    void loadsOnLinuxX8664() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"));
        assertThat(AwsLc.provider())
                .as("Amazon Corretto Crypto Provider with its native library")
                .isPresent();
    }

    @Test
    void itsEcdsaAndTheJdksVerifyEachOther() throws Exception {
        assumeTrue(AwsLc.provider().isPresent());
        Provider awsLc = AwsLc.provider().orElseThrow();
        KeyPair pair = P256.generate();
        byte[] data = "a certificate's TBS bytes".getBytes(StandardCharsets.UTF_8);

        assertThat(verify(Signature.getInstance("SHA256withECDSA"), pair, data, sign(awsLc, pair, data)))
                .isTrue();
        byte[] jdkSignature = sign(Signature.getInstance("SHA256withECDSA").getProvider(), pair, data);
        assertThat(verify(Signature.getInstance("SHA256withECDSA", awsLc), pair, data, jdkSignature))
                .isTrue();
        jdkSignature[jdkSignature.length - 1] ^= 1;
        assertThat(verify(Signature.getInstance("SHA256withECDSA", awsLc), pair, data, jdkSignature))
                .isFalse();
    }

    private static byte[] sign(Provider provider, KeyPair pair, byte[] data) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA", provider);
        signature.initSign(pair.getPrivate());
        signature.update(data);
        return signature.sign();
    }

    private static boolean verify(Signature signature, KeyPair pair, byte[] data, byte[] bytes) throws Exception {
        signature.initVerify(pair.getPublic());
        signature.update(data);
        return signature.verify(bytes);
    }
}
