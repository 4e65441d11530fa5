package io.fleetprov.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetprov.emulator.cognito.AuthResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** audit-service's query API as the local system's auditor reads it (the demo's summary, the whole-system test). */
record AuditApi(String baseUrl, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();
    // One client for every query: a device-by-device check asks for a thousand provenances.
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Signs in as the seeded auditor through the emulator's user pool. */
    static AuditApi asAuditor(LocalStack stack) {
        AuthResult result = stack.emulator()
                .cognito()
                .authentication()
                .initiateAuth(
                        DemoSeed.APP_CLIENT_ID,
                        "USER_PASSWORD_AUTH",
                        Map.of("USERNAME", DemoSeed.AUDITOR, "PASSWORD", stack.auditorPassword()));
        return new AuditApi(stack.auditService().baseUrl(), result.tokens().accessToken());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "audit-service " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** {@code GET /v1/devices/{thingName}/provenance}. */
    JsonNode provenance(String thingName) throws IOException, InterruptedException {
        return get("/v1/devices/" + URLEncoder.encode(thingName, StandardCharsets.UTF_8) + "/provenance");
    }

    /** Reads the integrity check until the number of events stops growing (or the wait ends). */
    JsonNode awaitStableIntegrity(Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode last = get("/v1/integrity");
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            JsonNode next = get("/v1/integrity");
            if (next.path("verified").asLong() == last.path("verified").asLong()) {
                return next;
            }
            last = next;
        }
        return last;
    }
}
