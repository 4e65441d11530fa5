package io.fleetprov.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The overload step's reading of the simulator's summary, its verdict, and which log records count as faults. */
class OverloadRunTest {

    private static final String SUMMARY = """
            {"started": 720, "provisioned": 719, "failed": 1,
             "failedByErrorCode": {"register-thing/AccessDenied": 1},
             "throttled": {"total": 45, "byPhase": {"claim": 45}},
             "phases": {"total": {"p99Ms": 4321.5}}}
            """;

    @Test
    void aFailedDeviceIsNotMetAndItsErrorCodeIsKept() throws Exception {
        OverloadRun.BrokerFaults none = new OverloadRun.BrokerFaults();
        OverloadRun.Result r = OverloadRun.of(new ObjectMapper().readTree(SUMMARY), 36.0, "20s", none);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.failedByErrorCode()).containsEntry("register-thing/AccessDenied", 1L);
        assertThat(r.throttled()).isEqualTo(45);
        assertThat(r.p99TotalMs()).isEqualTo(4321.5);
        assertThat(BenchReport.overloadMet(r)).isFalse();

        OverloadRun.Result clean = OverloadRun.of(
                new ObjectMapper().readTree("{\"started\": 720, \"provisioned\": 720, \"failed\": 0}"),
                36,
                "20s",
                none);
        assertThat(BenchReport.overloadMet(clean)).isTrue();
    }

    @Test
    void onlyTheBrokersWarningsWithAnExceptionCountAsFaults() {
        // The records below are deliberate; keep them off the console (the root's other handlers are silenced).
        Handler[] console = Logger.getLogger("").getHandlers();
        Level[] levels = new Level[console.length];
        for (int i = 0; i < console.length; i++) {
            levels[i] = console[i].getLevel();
            console[i].setLevel(Level.OFF);
        }
        OverloadRun.BrokerFaults faults = OverloadRun.BrokerFaults.install();
        try {
            Logger.getLogger("io.fleetprov.emulator.broker.ProvisioningRequestHandler")
                    .log(Level.WARNING, "Moquette session loop error", new IllegalStateException("refCnt: 0"));
            Logger.getLogger("io.moquette.broker.SessionEventLoop").log(Level.SEVERE, "loop died", new Error("x"));
            Logger.getLogger("io.moquette.broker.PostOffice").warning("no exception: not a fault");
            Logger.getLogger("io.fleetprov.local.Other").log(Level.WARNING, "not the broker", new RuntimeException());
        } finally {
            faults.uninstall();
        }
        Logger.getLogger("io.moquette.broker.SessionEventLoop").log(Level.SEVERE, "after", new Error("y"));
        for (int i = 0; i < console.length; i++) {
            console[i].setLevel(levels[i]);
        }
        assertThat(faults.count()).isEqualTo(2);
        assertThat(faults.first()).hasSize(2).first().asString().contains("refCnt: 0");
    }
}
