package io.fleetprov.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetprov.audit.testing.ClaimServiceEvents;
import io.fleetprov.emulator.IotEmulator;
import io.fleetprov.testing.TestDatabase;
import io.fleetprov.testing.quarkus.InjectDatabase;
import io.fleetprov.testing.quarkus.InjectIotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** While PostgreSQL is down the consumer waits without acknowledging; when it is back, every event is there. */
@QuarkusTest
class DatabaseOutageTest {

    @InjectIotEmulator
    IotEmulator emulator;

    @InjectDatabase
    TestDatabase database;

    @Test
    void eventsPublishedWhileTheDatabaseIsDownAreStoredWhenItReturns() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ClaimServiceEvents claimService = new ClaimServiceEvents(emulator)) {
            database.stop();
            try {
                for (int i = 0; i < 40; i++) {
                    ids.add(claimService
                            .publish(ClaimServiceEvents.claimIssued(
                                    "installer-outage", "SN-out-" + i, "claim-outage-" + i + "-" + System.nanoTime()))
                            .eventId());
                }
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> given().get("/q/health/ready").statusCode() == 503);
                // Readiness says which: paused for the database, not for anything an event held.
                JsonPath writer =
                        given().get("/q/health/ready").then().extract().jsonPath();
                assertThat(writer.getString("checks.find { it.name == 'event-log-writer' }.data.state"))
                        .isEqualTo("paused");
                assertThat(writer.getString("checks.find { it.name == 'event-log-writer' }.data.reason"))
                        .startsWith("database unavailable: ");
            } finally {
                database.restart();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(ids) == ids.size());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertThat(stored(ids)).isEqualTo(40);
    }

    private long stored(List<String> ids) throws Exception {
        try (Connection c = database.superuser();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where event_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
