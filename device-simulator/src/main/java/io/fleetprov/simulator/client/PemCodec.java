package io.fleetprov.simulator.client;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM in and out with BouncyCastle: CSRs, and private keys normalised to PKCS#8 for the TLS stack. */
public final class PemCodec {

    private PemCodec() {}

    /** A PKCS#10 request with CN = {@code commonName}, signed by the device's own key. */
    public static String csr(KeyPair keyPair, DeviceKeyType type, String commonName) {
        // The builder escapes commas, plus signs and the like, which string concatenation would not.
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
        try {
            PrivateKey key = keyPair.getPrivate();
            ContentSigner signer = DeviceP256.accepts(key)
                    ? DeviceP256.signer(key)
                    : new JcaContentSignerBuilder(type.signatureAlgorithm()).build(key);
            var request = new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic()).build(signer);
            return write("CERTIFICATE REQUEST", request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build a CSR with a " + type + " key", e);
        }
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}), the one form every TLS stack reads. */
    public static String pkcs8(PrivateKey key) {
        return write("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Reads a private key in any of the forms AWS and OpenSSL use (PKCS#1 RSA, SEC1 EC, PKCS#8) and returns it as
     * PKCS#8, because what AWS returns (PKCS#1/SEC1) is not what every TLS engine accepts.
     */
    public static String toPkcs8(String privateKeyPem) {
        return pkcs8(privateKey(privateKeyPem));
    }

    /** Reads a private key in any of the forms AWS and OpenSSL use (PKCS#1 RSA, SEC1 EC, PKCS#8). */
    public static PrivateKey privateKey(String privateKeyPem) {
        try (PEMParser parser = new PEMParser(new StringReader(privateKeyPem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key;
            if (object instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (object instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                // Never include the input: it is a private key.
                throw new IllegalArgumentException("not a PEM private key ("
                        + (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable PEM private key", e);
        }
    }

    static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
