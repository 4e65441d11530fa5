package io.fleetprov.simulator.client;

import io.netty.handler.ssl.util.LazyX509Certificate;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One device's TLS client identity, parsed once from PEM. Vert.x's {@code PemKeyCertOptions} would build a PKCS#12
 * key store per connection and encrypt and decrypt the key in it three times with PBKDF2 (10,000 HMAC rounds each):
 * profiled, that was most of the simulator's CPU per connection. This hands the parsed key straight to the TLS
 * engine (the JDK's or OpenSSL's, which both ask an {@link X509ExtendedKeyManager}).
 */
final class DeviceKeyManager extends X509ExtendedKeyManager {

    private static final AtomicLong ALIASES = new AtomicLong();
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    /** Unique per device: a context shared by many devices finds the key by it (SharedDeviceTls). */
    private final String alias = "device-" + ALIASES.incrementAndGet();

    /**
     * The key as its PKCS#8 encoding, parsed again on each handshake that asks for it: a parsed JDK key (its big
     * integer, encodings, algorithm parameters and identifiers) held for every connected device was about 0.5 KiB of
     * the soak's heap per device, and the TLS engine reads it once per handshake, where parsing costs microseconds
     * against the handshake's milliseconds.
     */
    private final byte[] keyPkcs8;

    private final X509Certificate[] chain;
    private final String keyType;

    private DeviceKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.keyPkcs8 = key.getEncoded();
        this.chain = chain;
        this.keyType = key.getAlgorithm();
        if (keyPkcs8 == null) {
            throw new IllegalArgumentException("the device key has no PKCS#8 encoding");
        }
    }

    static DeviceKeyManager of(DeviceCredentials credentials) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (byte[] der : pemBlocks(credentials.certificatePem())) {
                certificates.add(keptAsDer(factory.generateCertificate(new ByteArrayInputStream(der))));
            }
            X509Certificate[] chain = certificates.toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException("no certificate in the device's PEM");
            }
            return new DeviceKeyManager(credentials.parsedPrivateKey(), chain);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable device certificate", e);
        }
    }

    /**
     * The DER of each {@code CERTIFICATE} block, decoded here: the JDK's factory reads PEM a byte at a time, which was
     * half of what parsing a device's certificate cost the simulator at each connection (two per device); given
     * DER, it only parses. Text outside the blocks is ignored, as the JDK's reader does.
     */
    static List<byte[]> pemBlocks(String pem) {
        List<byte[]> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = pem.indexOf(BEGIN, at);
            if (begin < 0) {
                return blocks;
            }
            int end = pem.indexOf(END, begin);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated certificate in the device's PEM");
            }
            try {
                blocks.add(Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unreadable device certificate", e);
            }
            at = end + END.length();
        }
    }

    /**
     * The certificate as its DER only: the TLS engines read nothing but its encoding, and a parsed JDK certificate
     * (names, extensions, key) held for every connected device was the largest part of the simulator's heap per
     * device after the TLS context. Parsed once, above, so a bad certificate still fails here.
     */
    private static X509Certificate keptAsDer(Certificate certificate) {
        try {
            return new LazyX509Certificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable device certificate", e);
        }
    }

    String alias() {
        return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return matches(keyTypes) ? alias : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return matches(keyTypes) ? alias : null;
    }

    private boolean matches(String[] keyTypes) {
        if (keyTypes == null) {
            return true;
        }
        for (String type : keyTypes) {
            // TLS 1.2 asks for "EC"/"RSA", TLS 1.3 and OpenSSL sometimes for "EC_EC", "RSA" or a signature scheme.
            if (type == null || type.startsWith(keyType) || (keyType.equals("EC") && type.startsWith("EC"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return this.alias.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (!this.alias.equals(alias)) {
            return null;
        }
        try {
            return KeyFactory.getInstance(keyType).generatePrivate(new PKCS8EncodedKeySpec(keyPkcs8));
        } catch (GeneralSecurityException e) {
            // Parsed from these bytes when the device was made, so this is not the key's fault; never print it.
            throw new IllegalStateException("cannot read the device key again (" + keyType + ")", e);
        }
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "DeviceKeyManager[" + chain[0].getSubjectX500Principal() + "]";
    }
}
