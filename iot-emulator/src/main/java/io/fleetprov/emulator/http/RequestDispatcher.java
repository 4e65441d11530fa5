package io.fleetprov.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fleetprov.emulator.cognito.hostedui.HostedUiHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the emulator's HTTP port: reads the body (bounded), checks the SigV4 signature for the
 * service the request is for, and hands it to Cognito or to the IoT control plane. Nothing but AWS-shaped errors
 * leaves it: unexpected failures become a bare 500 InternalFailureException.
 */
final class RequestDispatcher implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    /** Far above any control-plane request (template bodies are at most 10 KB); bounds what a client makes us buffer. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** How much of an oversized body is read and dropped before the 413, so the client gets to read it. */
    private static final long DISCARD_LIMIT_BYTES = 4L * 1024 * 1024;

    /** IoT signs as {@code iot} since 2023, as {@code execute-api} before; clients of both eras exist. */
    static final List<String> IOT_SERVICES = List.of("iot", "execute-api");

    static final List<String> COGNITO_SERVICES = List.of("cognito-idp");
    /** Cognito operations that AWS serves without a signature: the sign-in calls of public app clients. */
    private static final Set<String> UNSIGNED_COGNITO_TARGETS = Set.of(
            "AWSCognitoIdentityProviderService.InitiateAuth",
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge");

    private static final String REST_JSON = "application/json";
    private static final String AMZ_JSON = "application/x-amz-json-1.1";

    private final ControlPlane controlPlane;
    private final HttpHandler cognito;
    private final SigV4Verifier sigV4;

    RequestDispatcher(ControlPlane controlPlane, HttpHandler cognito, SigV4Verifier sigV4) {
        this.controlPlane = controlPlane;
        this.cognito = cognito;
        this.sigV4 = sigV4;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        boolean forCognito = io.fleetprov.emulator.cognito.CognitoHttpHandler.handles(exchange);
        String errorContentType = forCognito ? AMZ_JSON : REST_JSON;
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            try {
                RawRequest request = read(exchange);
                if (forCognito) {
                    String target = request.header("x-amz-target");
                    // The hosted UI is browsers and OAuth clients, which AWS never asks for a signature.
                    sigV4.verify(
                            request,
                            COGNITO_SERVICES,
                            "GET".equals(request.method())
                                    || HostedUiHandler.handles(request.rawPath())
                                    || (target != null && UNSIGNED_COGNITO_TARGETS.contains(target)));
                    // The Cognito handler reads the body itself; give it the bytes already taken off the wire.
                    exchange.setStreams(new ByteArrayInputStream(request.body()), null);
                    cognito.handle(exchange);
                    return;
                }
                sigV4.verify(request, IOT_SERVICES, false);
                byte[] body = controlPlane.handle(request);
                exchange.getResponseHeaders().set("Content-Type", REST_JSON);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (AwsException e) {
                AwsErrors.send(exchange, e, errorContentType);
            } catch (RuntimeException e) {
                LOG.warn(
                        "request {} {} failed",
                        requestId,
                        exchange.getRequestURI().getRawPath(),
                        e);
                AwsErrors.send(exchange, AwsErrors.INTERNAL_FAILURE, errorContentType);
            }
        }
    }

    private static RawRequest read(HttpExchange exchange) throws IOException {
        String declaredLength = exchange.getRequestHeaders().getFirst("Content-Length");
        long declared;
        try {
            declared = declaredLength == null ? -1 : Long.parseLong(declaredLength.trim());
        } catch (NumberFormatException e) {
            throw AwsException.invalidRequest("Invalid Content-Length");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = declared > MAX_BODY_BYTES ? null : in.readNBytes(MAX_BODY_BYTES + 1);
            if (body == null || body.length > MAX_BODY_BYTES) {
                discardRest(in);
                throw tooLarge();
            }
        }
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.computeIfAbsent(
                                name.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                        .addAll(values));
        return new RawRequest(
                exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                headers,
                body);
    }

    /**
     * Reads what is left of an oversized body, up to a bound, without keeping it: a connection closed with request
     * bytes unread is reset, and the reset can destroy the 413 before the client reads it.
     */
    private static void discardRest(InputStream in) throws IOException {
        // read, not skip: the JDK server's request body stream does not bound skip() by the Content-Length.
        byte[] buffer = new byte[16 * 1024];
        long left = DISCARD_LIMIT_BYTES;
        for (int n; left > 0 && (n = in.read(buffer)) >= 0; ) {
            left -= n;
        }
    }

    private static AwsException tooLarge() {
        return new AwsException(
                "RequestEntityTooLargeException", 413, "Request body exceeds " + MAX_BODY_BYTES + " bytes");
    }
}
