package io.fleetprov.emulator.ca;

import io.fleetprov.protocol.crypto.AwsLc;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/** Parses and checks a PEM CSR from a device. */
public final class CsrValidator {
    private static final int MIN_RSA_BITS = 2048;
    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    /** ECDSA with a digest named in the algorithm, as every EC CSR is signed, by its JCA name. */
    private static final Map<ASN1ObjectIdentifier, String> ECDSA_WITH_DIGEST = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA1, "SHA1withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA224, "SHA224withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA");

    private static final DigestAlgorithmIdentifierFinder DIGESTS = new DefaultDigestAlgorithmIdentifierFinder();

    private CsrValidator() {}

    /**
     * Returns the CSR's verified public key. The key is checked before the signature so that a CSR on an exotic
     * curve gets "unsupported curve" rather than whatever the JDK says about a curve it does not know.
     */
    public static PublicKey validate(String csrPem) {
        return validate(csrPem, AwsLc.provider());
    }

    /** {@link #validate(String)}, with EC signatures checked by {@code ecdsa} when given, else by Bouncy Castle. */
    static PublicKey validate(String csrPem, Optional<Provider> ecdsa) {
        PKCS10CertificationRequest csr = parse(csrPem);
        SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
        checkKey(keyInfo);
        PublicKey key;
        try {
            key = new JcaPEMKeyConverter().getPublicKey(keyInfo);
        } catch (IOException e) {
            throw new InvalidCsrException("CSR public key cannot be decoded: " + e.getMessage(), e);
        }
        checkSignature(csr, keyInfo, key, ecdsa);
        return key;
    }

    private static PKCS10CertificationRequest parse(String csrPem) {
        if (csrPem == null || csrPem.isBlank()) {
            throw new InvalidCsrException("CSR is empty");
        }
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("CSR is not valid PEM: " + e.getMessage(), e);
        }
        if (object == null) {
            throw new InvalidCsrException("CSR is not PEM: expected -----BEGIN CERTIFICATE REQUEST-----");
        }
        if (!(object instanceof PKCS10CertificationRequest csr)) {
            throw new InvalidCsrException("PEM is not a certificate signing request (found "
                    + object.getClass().getSimpleName() + "); expected -----BEGIN CERTIFICATE REQUEST-----");
        }
        return csr;
    }

    private static void checkKey(SubjectPublicKeyInfo keyInfo) {
        AlgorithmIdentifier algorithm = keyInfo.getAlgorithm();
        ASN1ObjectIdentifier type = algorithm.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(type)) {
            int bits = rsaModulusBits(keyInfo);
            if (bits < MIN_RSA_BITS) {
                throw new InvalidCsrException(
                        "CSR RSA key is " + bits + " bits; at least " + MIN_RSA_BITS + " bits are required");
            }
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(type)) {
            if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)
                    || !ACCEPTED_CURVES.containsKey(curve)) {
                throw new InvalidCsrException("CSR EC key is on an unsupported curve (" + algorithm.getParameters()
                        + "); only P-256 and P-384 are accepted");
            }
        } else {
            throw new InvalidCsrException(
                    "CSR key type " + type + " is not supported; use RSA (2048 bits or more) or EC P-256/P-384");
        }
    }

    private static int rsaModulusBits(SubjectPublicKeyInfo keyInfo) {
        try {
            return RSAPublicKey.getInstance(keyInfo.parsePublicKey())
                    .getModulus()
                    .bitLength();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("CSR RSA public key is malformed", e);
        }
    }

    private static void checkSignature(
            PKCS10CertificationRequest csr, SubjectPublicKeyInfo keyInfo, PublicKey key, Optional<Provider> ecdsa) {
        String ecdsaName =
                X9ObjectIdentifiers.id_ecPublicKey.equals(keyInfo.getAlgorithm().getAlgorithm())
                        ? ECDSA_WITH_DIGEST.get(csr.getSignatureAlgorithm().getAlgorithm())
                        : null;
        boolean valid;
        try {
            valid = ecdsaName != null && ecdsa.isPresent()
                    ? ecdsaValid(csr, key, Signature.getInstance(ecdsaName, ecdsa.get()))
                    : csr.isSignatureValid(verifier(keyInfo, ecdsaName != null));
        } catch (IOException
                | GeneralSecurityException
                | OperatorCreationException
                | PKCSException
                | RuntimeException e) {
            throw new InvalidCsrException("CSR signature cannot be verified: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new InvalidCsrException("CSR signature does not verify with the CSR's public key");
        }
    }

    /**
     * An ECDSA signature on an EC key (every CSR the simulator and the device SDKs send) checked by AWS-LC, about a
     * third of Bouncy Castle's cost. A signature that is not even well-formed DER does not verify either.
     */
    private static boolean ecdsaValid(PKCS10CertificationRequest csr, PublicKey key, Signature signature)
            throws GeneralSecurityException, IOException {
        signature.initVerify(key);
        signature.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
        try {
            return signature.verify(csr.getSignature());
        } catch (SignatureException malformed) {
            return false;
        }
    }

    /**
     * Bouncy Castle otherwise: four to five times as fast as the JDK's pure-Java P-256. An ECDSA signature on an EC
     * key goes to its lightweight ECDSA directly: the JCA builder's verifier for ECDSA also runs a second, "raw"
     * verification of every signature whose outcome it ignores (kept for PKCS#11 sessions), which doubled the cost.
     * Anything else (RSA, RSASSA-PSS with its parameters) keeps the JCA builder, which knows every algorithm; the key
     * returned to the caller stays the JDK's.
     */
    private static ContentVerifierProvider verifier(SubjectPublicKeyInfo keyInfo, boolean ecdsa)
            throws IOException, OperatorCreationException {
        if (ecdsa) {
            return new BcECContentVerifierProviderBuilder(DIGESTS).build(PublicKeyFactory.createKey(keyInfo));
        }
        PublicKey key =
                new JcaPEMKeyConverter().setProvider(Signing.BOUNCY_CASTLE).getPublicKey(keyInfo);
        return new JcaContentVerifierProviderBuilder()
                .setProvider(Signing.BOUNCY_CASTLE)
                .build(key);
    }
}
