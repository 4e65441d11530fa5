package io.fleetprov.emulator.ca;

import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds the CSR a device sends to CreateCertificateFromCsr; used by tests and the device simulator. */
public final class CsrBuilder {
    private CsrBuilder() {}

    public static String build(KeyPair keyPair, String commonName) {
        X500Name subject = commonNameOnly(commonName);
        try {
            return Pem.csr(new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
                    .build(Signing.signer(keyPair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalArgumentException(
                    "cannot sign a CSR with this " + keyPair.getPrivate().getAlgorithm() + " key", e);
        }
    }

    static X500Name commonNameOnly(String commonName) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("common name must not be blank");
        }
        // The builder escapes commas, plus signs and the like; string concatenation would not.
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }
}
