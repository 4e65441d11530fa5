package io.fleetprov.emulator.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECPoint;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM in the exact shapes AWS IoT and OpenSSL use, so files written here work with every client unchanged. */
public final class Pem {
    private Pem() {}

    public static String certificate(X509Certificate certificate) {
        try {
            return write("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    /**
     * PKCS#1 for RSA because that is what AWS returns from CreateKeysAndCertificate; SEC1 for EC, OpenSSL's traditional
     * form. Prefer {@link #privateKey(KeyPair)} where the public key is at hand: without it, an EC key's public point
     * (which SEC1 carries) has to be computed again from the private scalar, a full point multiplication.
     */
    public static String privateKey(PrivateKey key) {
        return privateKey(key, null);
    }

    /**
     * As {@link #privateKey(PrivateKey)}, the same bytes, with an EC key's public point taken from the pair's public
     * key instead of recomputed: that multiplication (on Bouncy Castle's generic curve arithmetic) cost more than
     * generating the key pair, at every CreateProvisioningClaim and CreateKeysAndCertificate.
     */
    public static String privateKey(KeyPair keyPair) {
        return privateKey(keyPair.getPrivate(), keyPair.getPublic());
    }

    private static String privateKey(PrivateKey key, PublicKey publicKey) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            if (key instanceof RSAPrivateKey) {
                return write(
                        "RSA PRIVATE KEY",
                        info.parsePrivateKey().toASN1Primitive().getEncoded());
            }
            if (key instanceof ECPrivateKey ec) {
                return write("EC PRIVATE KEY", sec1(ec, info, publicKey).getEncoded());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("private key cannot be encoded", e);
        }
        throw new IllegalArgumentException("unsupported private key type: " + key.getAlgorithm());
    }

    public static String publicKey(PublicKey key) {
        return write("PUBLIC KEY", key.getEncoded());
    }

    public static String csr(PKCS10CertificationRequest csr) {
        try {
            return write("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static X509Certificate parseCertificate(String pem) {
        Object object = read(pem, "certificate");
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException(
                    "expected a PEM certificate (-----BEGIN CERTIFICATE-----) but found " + describe(object));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "PEM certificate is not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** Accepts PKCS#1 (RSA PRIVATE KEY), SEC1 (EC PRIVATE KEY) and unencrypted PKCS#8 (PRIVATE KEY). */
    public static PrivateKey parsePrivateKey(String pem) {
        Object object = read(pem, "private key");
        PrivateKeyInfo info;
        if (object instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (object instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("PEM private key is encrypted; only unencrypted keys are supported");
        } else {
            throw new IllegalArgumentException(
                    "expected a PEM private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY) but found "
                            + describe(object));
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new IllegalArgumentException("PEM private key cannot be decoded: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's PKCS#8 encoding of an EC key may leave out the curve and public point inside the inner structure;
     * OpenSSL refuses a SEC1 key without the curve, so both are written explicitly. The point is the pair's public
     * key when given (uncompressed, as OpenSSL writes it), else computed from the private scalar.
     */
    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1(
            ECPrivateKey key, PrivateKeyInfo info, PublicKey publicKey) {
        if (!(info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
            throw new IllegalArgumentException("EC private key is not on a named curve");
        }
        BigInteger s = key.getS();
        int orderBits = key.getParams().getOrder().bitLength();
        byte[] point;
        if (publicKey instanceof ECPublicKey ec) {
            point = uncompressed(
                    ec.getW(), key.getParams().getCurve().getField().getFieldSize());
        } else if (publicKey == null) {
            X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
            if (parameters == null) {
                throw new IllegalArgumentException("EC private key is not on a named curve");
            }
            point = parameters.getG().multiply(s).normalize().getEncoded(false);
        } else {
            throw new IllegalArgumentException(
                    "the public key of an EC key pair is not an EC key: " + publicKey.getAlgorithm());
        }
        return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, s, new DERBitString(point), curve);
    }

    /** SEC1 2.3.3: 0x04, then x and y, each left-padded to the field's length. */
    private static byte[] uncompressed(ECPoint w, int fieldBits) {
        int length = (fieldBits + 7) / 8;
        byte[] encoded = new byte[1 + 2 * length];
        encoded[0] = 0x04;
        byte[] x = BigIntegers.asUnsignedByteArray(length, w.getAffineX());
        byte[] y = BigIntegers.asUnsignedByteArray(length, w.getAffineY());
        System.arraycopy(x, 0, encoded, 1, length);
        System.arraycopy(y, 0, encoded, 1 + length, length);
        return encoded;
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("PEM " + what + " is empty");
        }
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            // PEMParser reports bad base64 and bad DER as assorted runtime exceptions; callers get one type.
            throw new IllegalArgumentException("malformed PEM " + what + ": " + e.getMessage(), e);
        }
        if (object == null) {
            throw new IllegalArgumentException(
                    "not PEM: no -----BEGIN ...----- block found where a " + what + " was expected");
        }
        return object;
    }

    private static String describe(Object object) {
        return object.getClass().getSimpleName();
    }

    private static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
