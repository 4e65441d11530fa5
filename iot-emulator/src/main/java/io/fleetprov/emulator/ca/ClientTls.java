package io.fleetprov.emulator.ca;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS for a JDK-socket MQTT client of the broker (Paho, for example): mutual TLS with PEM credentials. */
public final class ClientTls {

    private ClientTls() {}

    /** Presents {@code certificatePem} with its key and trusts only {@code caPem}. */
    public static SSLSocketFactory socketFactory(String caPem, String certificatePem, String privateKeyPem) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", Pem.parsePrivateKey(privateKeyPem), new char[0], new Certificate[] {
                Pem.parseCertificate(certificatePem)
            });
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.parseCertificate(caPem));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("unusable client credentials", e);
        }
    }
}
