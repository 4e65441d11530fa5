package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.claims.config.OpenSslEngines;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * HTTPS and the MQTT clients run on BoringSSL (config.OpenSslEngines) and still work as before: claims over HTTPS
 * with TLS 1.3, TLS 1.2 refused as the TLS registry configures, a client that does not trust the service's CA
 * refused, and the relay's channels (whose delivery EventsTest checks end to end) given the same engine.
 */
@QuarkusTest
class TlsEngineTest {

    @Inject
    OpenSslEngines engines;

    @Test
    void httpsAndBothMqttChannelsRunOnBoringSsl() {
        assertThat(engines.openSsl()).as("netty-tcnative loads on linux-x86_64").isTrue();
        assertThat(engines.engineByEndpoint())
                .containsKeys("https", "fleet-events", "fleet-events-echo")
                .allSatisfy((endpoint, engine) -> assertThat(engine).startsWith("BoringSSL"));
    }

    @Test
    void claimsOverHttpsWithTls13AndTls12RefusedAsTheTlsRegistrySays() throws Exception {
        String token = Tokens.of(ClaimServiceEmulator.installer());
        HttpResponse<String> response =
                client(trustingServiceCa(), "TLSv1.3").send(claimRequest(token), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("certificateId");
        // The TLS registry's default protocols are TLSv1.3 alone; the engine does not widen them.
        HttpClient tls12 = client(trustingServiceCa(), "TLSv1.2");
        assertThatThrownBy(() -> tls12.send(claimRequest(token), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheServiceCaIsRefused() throws Exception {
        SSLContext defaultTrust = SSLContext.getInstance("TLS");
        defaultTrust.init(null, null, null);
        HttpClient client = client(defaultTrust, "TLSv1.3");
        assertThatThrownBy(() -> client.send(claimRequest("unused"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static HttpRequest claimRequest(String token) {
        return HttpRequest.newBuilder(
                        URI.create("https://localhost:" + Tokens.config("fleetprov-test.https-port") + "/v1/claims"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"serialNumber\":\"" + Claims.serial() + "\"}"))
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static HttpClient client(SSLContext ssl, String protocol) {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static SSLContext trustingServiceCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(Tokens.config("fleetprov-test.https-ca-file")))) {
            int n = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, certificate);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
