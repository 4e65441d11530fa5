package io.fleetprov.emulator.cognito;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;

/** A JDK HTTP server on a free loopback port, routing like the emulator's shared router does. */
final class CognitoTestServer implements AutoCloseable {

    /** What the router answers for requests that are not Cognito's, so tests can see {@code handles} decide. */
    static final int NOT_COGNITO = 418;

    final HttpServer server;
    final CognitoUserPools cognito;
    final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private CognitoIdentityProviderClient sdk;

    CognitoTestServer(Path dataDir, Clock clock) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        cognito = new CognitoUserPools(dataDir, baseUrl, clock);
        CognitoHttpHandler handler = new CognitoHttpHandler(cognito);
        server.createContext("/", exchange -> {
            if (CognitoHttpHandler.handles(exchange)) {
                handler.handle(exchange);
            } else {
                try (exchange) {
                    exchange.sendResponseHeaders(NOT_COGNITO, -1);
                }
            }
        });
        server.start();
    }

    CognitoTestServer() throws IOException {
        this(null, Clock.systemUTC());
    }

    CognitoIdentityProviderClient sdk() {
        if (sdk == null) {
            sdk = CognitoIdentityProviderClient.builder()
                    .endpointOverride(URI.create(baseUrl))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return sdk;
    }

    /** A new user pool, through the SDK; its id. */
    String createUserPool(String name) {
        return sdk().createUserPool(r -> r.poolName(name)).userPool().id();
    }

    /** A new app client of the pool allowing {@code flows}, through the SDK; its id. */
    String createAppClient(String userPoolId, String name, ExplicitAuthFlowsType... flows) {
        return sdk().createUserPoolClient(
                        r -> r.userPoolId(userPoolId).clientName(name).explicitAuthFlows(flows))
                .userPoolClient()
                .clientId();
    }

    HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl;
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
        server.stop(0);
    }
}
