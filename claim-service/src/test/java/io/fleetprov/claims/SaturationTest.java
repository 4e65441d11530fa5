package io.fleetprov.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.emulator.faults.FaultSettings;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Overload of the claim path is shed where it is cheap and retryable, and never reaches the pre-provisioning hook:
 * with AWS answering CreateProvisioningClaim slowly (1.5 s, within the service's deadline) and far more claim requests arriving than the service may have
 * in flight, the requests beyond its limits are answered 503 (or 429 past an installer's quota) with Retry-After, and a device's hook call is
 * answered (and allowed) while the accepted claims are still waiting for AWS.
 */
@QuarkusTest
class SaturationTest {

    private static final int INSTALLERS = 8;
    private static final int CLAIMS_PER_INSTALLER = 10;

    @InjectIotEmulator
    IotEmulator emulator;

    @AfterEach
    void fast() {
        emulator.faults().update(new FaultSettings(null, 0L, null, null, null));
    }

    @Test
    void theHookAnswersWhileTheClaimPathIsSaturated() throws Exception {
        String serial = Claims.serial();
        String owner = ClaimServiceEmulator.installer();
        String claim = (String) Claims.issue(owner, serial).get("certificateId");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < INSTALLERS; i++) {
            tokens.add(Tokens.of(ClaimServiceEmulator.installer()));
        }
        emulator.faults().update(new FaultSettings(null, 1500L, null, null, null));

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> claims = new ArrayList<>();
        for (String token : tokens) {
            for (int i = 0; i < CLAIMS_PER_INSTALLER; i++) {
                claims.add(http.sendAsync(
                        HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/claims"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"serialNumber\":\"" + Claims.serial() + "\"}"))
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        // Claims beyond the service's in-flight limit are refused at once; the others wait for the slow AWS.
        CompletableFuture.anyOf(claims.toArray(CompletableFuture[]::new)).join();

        ValidatableResponse hook = Claims.hook(Claims.hookSecret(), claim, serial);
        // Counted as soon as the hook's answer is in, before its body is checked (RestAssured's first GPath
        // expression compiles Groovy, which takes seconds on a loaded machine).
        long stillWaiting = claims.stream().filter(c -> !c.isDone()).count();
        hook.statusCode(200).body("allowProvisioning", equalTo(true));
        assertThat(stillWaiting)
                .as("claims still waiting for AWS when the hook had answered")
                .isPositive();

        List<HttpResponse<String>> answers =
                claims.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> refused =
                answers.stream().filter(a -> a.statusCode() != 201).toList();
        // 429: an installer's own quota; 503: the service-wide limits on CreateProvisioningClaim.
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(201, 429, 503));
        assertThat(refused)
                .as("claims shed as busy")
                .anySatisfy(a -> assertThat(a.statusCode()).isEqualTo(503));
        assertThat(answers)
                .as("claims issued meanwhile")
                .anySatisfy(a -> assertThat(a.statusCode()).isEqualTo(201));
        assertThat(refused)
                .allSatisfy(
                        a -> assertThat(a.headers().firstValue("Retry-After")).isPresent())
                .allSatisfy(a -> assertThat(a.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json")));
        Claims.get(owner, claim).statusCode(200).body("status", equalTo("USED"));
    }
}
