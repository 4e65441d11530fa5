package io.fleetprov.emulator.cognito;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fleetprov.emulator.cognito.hostedui.HostedUiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP transport of the Cognito subset: the awsJson 1.1 operations on {@code POST /} and the OIDC discovery and
 * JWKS documents; the hosted UI's paths go to {@link HostedUiHandler}. Only these classes know about status codes and
 * headers.
 */
public final class CognitoHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CognitoHttpHandler.class);
    private static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
    private static final Pattern WELL_KNOWN =
            Pattern.compile("^/([^/]+)/\\.well-known/(openid-configuration|jwks\\.json)$");
    private static final String AMZ_JSON = "application/x-amz-json-1.1";
    // Far above any real Cognito request; stops a client from making the emulator buffer unbounded bodies.
    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final CognitoUserPools cognito;
    private final CognitoJsonApi api;
    private final ObjectMapper mapper;
    private final HostedUiHandler hostedUi;

    public CognitoHttpHandler(CognitoUserPools cognito) {
        this.cognito = cognito;
        this.mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.api = new CognitoJsonApi(cognito, mapper);
        this.hostedUi = new HostedUiHandler(cognito.oauth());
    }

    /** True if this request is for Cognito (its API or its hosted UI), so that a shared router can forward it here. */
    public static boolean handles(HttpExchange exchange) {
        if (HostedUiHandler.handles(exchange)) {
            return true;
        }
        String method = exchange.getRequestMethod();
        if ("POST".equalsIgnoreCase(method)) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            return target != null && target.startsWith(TARGET_PREFIX);
        }
        return "GET".equalsIgnoreCase(method)
                && WELL_KNOWN.matcher(exchange.getRequestURI().getPath()).matches();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (HostedUiHandler.handles(exchange)) {
            hostedUi.handle(exchange);
            return;
        }
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            try {
                if ("GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                    serveWellKnown(exchange);
                } else if ("POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                    serveOperation(exchange);
                } else {
                    sendError(
                            exchange,
                            new CognitoException(
                                    "UnknownOperationException",
                                    405,
                                    "Method " + exchange.getRequestMethod() + " is not supported"),
                            AMZ_JSON);
                }
            } catch (CognitoException e) {
                sendError(exchange, e, AMZ_JSON);
            } catch (RuntimeException e) {
                // The cause stays in the log; the client gets the generic error, never a stack trace.
                LOG.warn("Cognito request {} failed", requestId, e);
                sendError(exchange, CognitoException.internalError(), AMZ_JSON);
            }
        }
    }

    private void serveWellKnown(HttpExchange exchange) throws IOException {
        Matcher m = WELL_KNOWN.matcher(exchange.getRequestURI().getPath());
        if (!m.matches()) {
            sendError(
                    exchange, new CognitoException("ResourceNotFoundException", 404, "Not found"), "application/json");
            return;
        }
        String poolId = m.group(1);
        if (cognito.pools().findUserPool(poolId).isEmpty()) {
            sendError(
                    exchange,
                    new CognitoException("ResourceNotFoundException", 404, "User pool " + poolId + " does not exist."),
                    "application/json");
            return;
        }
        String json = "openid-configuration".equals(m.group(2))
                ? cognito.discovery().document(poolId)
                : cognito.tokens().jwks(poolId);
        send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void serveOperation(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw CognitoException.unknownOperation("Missing or foreign X-Amz-Target");
        }
        JsonNode body = readBody(exchange);
        Object response = api.invoke(target.substring(TARGET_PREFIX.length()), body);
        send(exchange, 200, AMZ_JSON, mapper.writeValueAsBytes(response));
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw CognitoException.serialization("Request body too large");
        }
        if (bytes.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw CognitoException.serialization("Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CognitoException.serialization("Malformed JSON request body");
        }
    }

    private void sendError(HttpExchange exchange, CognitoException e, String contentType) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.errorType());
        byte[] body = mapper.writeValueAsBytes(new CognitoWire.ErrorBody(e.errorType(), e.getMessage()));
        send(exchange, e.httpStatus(), contentType, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
