package io.fleetprov.claims;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Captures every log record, at DEBUG for the service, security and HTTP layers, while secrets pass through. */
@QuarkusTest
class LogSecrecyTest {

    private static final List<String> CATEGORIES = List.of(
            "io.fleetprov",
            "io.quarkus.oidc",
            "io.quarkus.security",
            "io.quarkus.vertx.http",
            "io.quarkus.resteasy.reactive",
            "org.jboss.resteasy.reactive",
            "io.smallrye.reactive.messaging",
            "software.amazon.awssdk");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        CATEGORIES.forEach(c -> Logger.getLogger(c).setLevel(Level.FINE));
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
        CATEGORIES.forEach(c -> Logger.getLogger(c).setLevel(null));
    }

    @Test
    void noPrivateKeyTokenOrHookSecretReachesTheLogs() {
        String installer = ClaimServiceEmulator.installer();
        String token = Tokens.of(installer);
        String serial = Claims.serial();
        String key = UUID.randomUUID().toString();
        Map<String, Object> bundle = Claims.request(installer, serial, null, key)
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("$");
        Claims.request(installer, serial, null, key).statusCode(201);
        String claim = (String) bundle.get("certificateId");
        Claims.get(installer, claim).statusCode(200);
        Claims.hook(Claims.hookSecret(), claim, Claims.serial()).statusCode(200);
        Claims.hook(Claims.hookSecret() + "x", claim, serial).statusCode(401);
        // A tampered token is refused; neither it nor the real one may be logged.
        given().auth()
                .oauth2(token + "x")
                .contentType(ContentType.JSON)
                .body(Map.of("serialNumber", serial))
                .post("/v1/claims")
                .then()
                .statusCode(401);

        assertThat(lines).as("log lines captured").isNotEmpty();
        String privateKey = (String) bundle.get("privateKey");
        String keyBody = privateKey.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String tokenPayload = token.split("\\.")[1];
        List<String> secrets = List.of(
                keyBody.substring(0, 40),
                keyBody.substring(keyBody.length() - 40),
                signature,
                tokenPayload,
                Claims.hookSecret());
        assertThat(lines)
                .as("log lines holding a secret")
                .filteredOn(line -> secrets.stream().anyMatch(line.replaceAll("\\s", "")::contains))
                .isEmpty();
        assertThat(lines).noneMatch(line -> line.contains("PRIVATE KEY"));
    }
}
