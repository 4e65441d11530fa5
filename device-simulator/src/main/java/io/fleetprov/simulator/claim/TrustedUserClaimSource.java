package io.fleetprov.simulator.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.protocol.claim.ClaimRequest;
import io.fleetprov.protocol.claim.ClaimResponse;
import io.fleetprov.protocol.codec.PayloadCodec;
import io.fleetprov.protocol.codec.PayloadException;
import io.fleetprov.protocol.event.TraceIds;
import io.fleetprov.simulator.client.DeviceException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;

/**
 * The trusted-user path: sign in as an installer with Cognito {@code InitiateAuth} (USER_PASSWORD_AUTH; the real
 * Cognito or the emulator's user pool, same code), then ask claim-service for one claim per device with
 * {@code POST /v1/claims} and the installer's bearer token. The token is reused until a minute before it expires.
 */
public final class TrustedUserClaimSource implements ClaimSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CognitoIdentityProviderAsyncClient cognito;
    /** Keep-alive connections to claim-service (HTTP/1.1); requests beyond them wait for one in the pool. */
    private static final int HTTP1_CONNECTIONS = 32;

    private final HttpClient http;
    private final String claimsUri;
    private final Settings settings;
    private final byte[] traceSalt = new SecureRandom().generateSeed(16);
    private CompletableFuture<Token> token;

    /**
     * @param claimServiceUrl base URL of claim-service, e.g. {@code http://localhost:8080}
     * @param templateName    sent in the request when not null; claim-service may default it
     * @param useAccessToken  send the access token instead of the id token
     */
    public record Settings(
            String userPoolClientId,
            String username,
            String password,
            URI claimServiceUrl,
            String templateName,
            boolean useAccessToken,
            Duration timeout) {

        @Override
        public String toString() {
            return "Settings[user=" + username + ", claimService=" + claimServiceUrl + "]";
        }
    }

    public TrustedUserClaimSource(Vertx vertx, CognitoIdentityProviderAsyncClient cognito, Settings settings) {
        this(vertx, cognito, settings, null, false);
    }

    /**
     * @param vertx   the run's Vert.x: claim-service is called with its HTTP client, on its event loops
     * @param trust   trusts claim-service's HTTPS certificate; null: the JVM's default trusted CAs
     * @param openSsl HTTPS on OpenSSL (BoringSSL) rather than the JDK's TLS
     */
    public TrustedUserClaimSource(
            Vertx vertx,
            CognitoIdentityProviderAsyncClient cognito,
            Settings settings,
            TrustOptions trust,
            boolean openSsl) {
        this.cognito = cognito;
        this.settings = settings;
        this.claimsUri = settings.claimServiceUrl().resolve("/v1/claims").toString();
        // Profiled, the JDK's HttpClient cost about a tenth of the simulator's CPU in the trusted flow: its own TLS in
        // Java, and a connection (so a handshake) per request started while none was open. Vert.x's client on
        // BoringSSL, measured on the same HTTPS server, costs a third to a fifth as much per request. HTTP/1.1 with a
        // keep-alive pool, also over HTTPS, rather than HTTP/2: the client costs about the same either way, and caller
        // and claim-service together spent 0.90x and 0.99x the CPU per claim on HTTP/1.1 (claim-service's
        // TrustedProtocolBenchmark, HTTP/2 measured first, then HTTP/1.1 first): at most a small saving, never a
        // cost; 32 connections are 32 handshakes per run.
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(
                        (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()))
                .setKeepAlive(true);
        if ("https".equalsIgnoreCase(settings.claimServiceUrl().getScheme())) {
            options.setSsl(true);
            if (trust != null) {
                options.setTrustOptions(trust);
            }
            if (openSsl) {
                options.setSslEngineOptions(new OpenSSLEngineOptions());
            }
        }
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(HTTP1_CONNECTIONS));
    }

    /** The CA certificates in a PEM file (e.g. the local system's HTTPS CA) as the only ones trusted. */
    public static TrustOptions trusting(Path caPemFile) {
        try (InputStream in = Files.newInputStream(caPemFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            if (n == 0) {
                throw new IllegalArgumentException("no certificate in " + caPemFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return TrustOptions.wrap(tmf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caPemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + caPemFile + " as trusted CAs: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<ClaimBundle> claim(String serialNumber) {
        return currentToken().thenCompose(t -> requestClaim(t, serialNumber));
    }

    private synchronized CompletableFuture<Token> currentToken() {
        if (token == null
                || (token.isDone()
                        && (token.isCompletedExceptionally()
                                || token.join()
                                        .expiresAt()
                                        .isBefore(Instant.now().plusSeconds(60))))) {
            token = signIn();
        }
        return token;
    }

    private CompletableFuture<Token> signIn() {
        return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .clientId(settings.userPoolClientId())
                        .authParameters(Map.of("USERNAME", settings.username(), "PASSWORD", settings.password())))
                .handle((response, error) -> {
                    if (error != null) {
                        throw AwsErrors.translate(error, "InitiateAuth");
                    }
                    AuthenticationResultType result = response.authenticationResult();
                    if (result == null) {
                        throw new DeviceException(
                                "AuthChallenge",
                                "InitiateAuth returned challenge " + response.challengeNameAsString()
                                        + " instead of tokens",
                                null);
                    }
                    String bearer = settings.useAccessToken() ? result.accessToken() : result.idToken();
                    int lifetime = result.expiresIn() == null ? 3600 : result.expiresIn();
                    return new Token(bearer, Instant.now().plusSeconds(lifetime));
                });
    }

    /**
     * A trace id per device, derived from the serial number and a secret of this source: the same for every retry of
     * the device's claim, known to the run's report without a table of all devices, and not guessable across runs.
     */
    @Override
    public Optional<String> traceId(String serialNumber) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(traceSalt);
            byte[] digest = sha256.digest(serialNumber.getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(digest, 0, 16);
            return Optional.of(TraceIds.isTraceId(id) ? id : TraceIds.newTraceId());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private CompletableFuture<ClaimBundle> requestClaim(Token bearer, String serialNumber) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(claimsUri)
                .setIdleTimeout(settings.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .putHeader("Authorization", "Bearer " + bearer.value())
                // A new trace per device: claim-service puts its id on every event of this claim, so one device's
                // provisioning is one trace from this request to its audit rows.
                .putHeader(
                        TraceIds.TRACEPARENT,
                        TraceIds.traceparent(traceId(serialNumber).orElseThrow(), TraceIds.newSpanId()));
        Buffer body =
                Buffer.buffer(PayloadCodec.json().encode(new ClaimRequest(serialNumber, settings.templateName())));
        return http.request(request)
                .compose(sent -> sent.send(body))
                .compose(response -> response.body()
                        .map(answer -> new Answer(
                                response.statusCode(), response.getHeader("Retry-After"), answer.getBytes())))
                .toCompletionStage()
                .toCompletableFuture()
                .handle((response, error) -> {
                    if (error != null) {
                        throw new DeviceException(DeviceException.CLIENT_ERROR, "POST /v1/claims: " + error, error);
                    }
                    if (response.status() != 201 && response.status() != 200) {
                        throw new DeviceException(
                                "HTTP" + response.status(),
                                response.status(),
                                retryAfter(Optional.ofNullable(response.retryAfter())),
                                "POST /v1/claims answered " + response.status() + ": " + problemTitle(response.body()),
                                null);
                    }
                    return parse(response.body());
                });
    }

    /** What is kept of claim-service's answer. */
    private record Answer(int status, String retryAfter, byte[] body) {}

    /**
     * claim-service sheds load with 429/503 and {@code Retry-After} in seconds (RFC 9110 also allows an HTTP date,
     * which it never sends; that and anything unreadable count as not given, and the usual backoff applies).
     */
    static Duration retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.get().trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static ClaimBundle parse(byte[] body) {
        try {
            return ClaimBundle.of(PayloadCodec.json().decode(body, ClaimResponse.class));
        } catch (PayloadException e) {
            throw new DeviceException("InvalidClaimResponse", "claim-service answered an unreadable claim", e);
        }
    }

    /** RFC 7807 problem details carry a title; anything else is summarised by its size, not echoed. */
    private static String problemTitle(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("title").asText(node.path("detail").asText(body.length + " bytes"));
        } catch (java.io.IOException | RuntimeException e) {
            return new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
    }

    @Override
    public String name() {
        return "trusted-user";
    }

    @Override
    public void close() {
        http.close();
        cognito.close();
    }

    private record Token(String value, Instant expiresAt) {}
}
