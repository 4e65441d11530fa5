package io.fleetprov.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetprov.simulator.client.DeviceException;
import io.fleetprov.simulator.client.FlowException;
import io.fleetprov.simulator.client.Phase;
import io.fleetprov.simulator.report.RunData;
import io.fleetprov.simulator.report.Slo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

class CeilingFinderTest {

    private static final Map<String, String> APIS = Map.of(
            "claim",
            "CreateProvisioningClaim",
            "create-certificate",
            "CreateCertificateFromCsr",
            "register-thing",
            "RegisterThing");

    /** A step's outcome made up front: so many devices, some failed, some throttled calls. */
    private static RunData run(int devices, int failed, Phase throttledPhase, int throttled, long totalMicros) {
        RunMetrics metrics = new RunMetrics(System.currentTimeMillis());
        for (int i = 0; i < devices; i++) {
            metrics.deviceStarted();
            if (i < failed) {
                metrics.deviceFailed(new FlowException(
                        Phase.CONNECT_WITH_CLAIM, new DeviceException(DeviceException.CONNECTION_LOST, "lost", null)));
            } else {
                RunMetricsAccess.record(metrics, Phase.TOTAL, totalMicros);
                metrics.deviceProvisioned();
            }
        }
        for (int i = 0; i < throttled; i++) {
            metrics.throttled(throttledPhase);
        }
        return metrics.finish("step", Map.of(), Shard.SINGLE, devices);
    }

    /** A system that holds every rate up to {@code limit} and fails a device above it; notes each rate it is run at. */
    private static DoubleFunction<RunData> holdingUpTo(double limit, List<Double> rates) {
        return rate -> {
            rates.add(rate);
            return run(10, rate > limit ? 1 : 0, Phase.CLAIM, 0, 1_000);
        };
    }

    @Test
    void stopsAtTheFirstThrottledStepAndSaysWhichApiAndWhere() {
        List<Double> rates = new ArrayList<>();
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 10, 1.5, 1000, 0, APIS);

        var result = finder.find(
                rate -> {
                    rates.add(rate);
                    return rate >= 22 ? run(20, 0, Phase.REGISTER_THING, 3, 1_000) : run(20, 0, Phase.CLAIM, 0, 1_000);
                },
                step -> {});

        assertThat(rates).containsExactly(10.0, 15.0, 23.0);
        assertThat(result.sustainableRate()).isEqualTo(15.0);
        assertThat(result.throttlingBeganAt()).containsExactly(Map.entry("RegisterThing", 23.0));
        assertThat(result.stoppedBecause()).contains("throttled at 23");
        assertThat(result.steps()).extracting(CeilingFinder.Step::sustainable).containsExactly(true, true, false);
    }

    @Test
    void stopsWhenTheSloIsMissedAndReportsNoSustainableRateIfTheFirstStepMissesIt() {
        var finder = new CeilingFinder(Slo.parse("errors<=0,p99.total<=2s"), 10, 2, 1000, 0, APIS);

        var slow = finder.find(rate -> run(10, 0, Phase.CLAIM, 0, rate >= 40 ? 3_000_000 : 500_000), step -> {});
        assertThat(slow.sustainableRate()).isEqualTo(20.0);
        assertThat(slow.stoppedBecause()).contains("SLO missed at 40");
        assertThat(slow.throttlingBeganAt()).isEmpty();

        List<Double> rates = new ArrayList<>();
        var failing = finder.find(
                rate -> {
                    rates.add(rate);
                    return run(10, 1, Phase.CLAIM, 0, 1_000);
                },
                step -> {});
        assertThat(failing.sustainableRate()).isNull();
        assertThat(rates).containsExactly(10.0, 5.0, 2.5, 1.3, 0.7);
        assertThat(failing.stoppedBecause())
                .isEqualTo("SLO missed at 10.0 devices/s; stepping down, SLO missed still at 0.7 devices/s");
    }

    @Test
    void aFirstStepAboveTheCeilingStepsDownToTheFirstRateThatHoldsAndStopsThere() {
        List<Double> rates = new ArrayList<>();
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 20, 1.5, 1000, 0, APIS);

        var result = finder.find(
                rate -> {
                    rates.add(rate);
                    return rate > 10 ? run(10, 0, Phase.CLAIM, 2, 1_000) : run(10, 0, Phase.CLAIM, 0, 1_000);
                },
                step -> {});

        assertThat(rates).containsExactly(20.0, 13.0, 8.7);
        assertThat(result.sustainableRate()).isEqualTo(8.7);
        assertThat(result.stoppedBecause()).isEqualTo("throttled at 20.0 devices/s; stepping down, 8.7 devices/s held");
        // The lowest rate at which it was throttled, not the first step's.
        assertThat(result.throttlingBeganAt()).containsExactly(Map.entry("CreateProvisioningClaim", 13.0));
    }

    @Test
    void endsAtTheMaximumRate() {
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 10, 2, 40, 2, APIS);
        var result = finder.find(rate -> run(5, 0, Phase.CLAIM, 0, 1_000), step -> {});
        assertThat(result.steps()).extracting(CeilingFinder.Step::offeredRate).containsExactly(10.0, 20.0, 40.0);
        assertThat(result.sustainableRate()).isEqualTo(40.0);
        assertThat(result.stoppedBecause()).isEqualTo("reached the maximum rate");
    }

    @Test
    void triesTheMaximumRateItselfWhenTheNextStepWouldPassItAndRefinesBelowIt() {
        List<Double> rates = new ArrayList<>();
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 345, 1.5, 1000, 1, APIS);

        // 345, 518, 777 hold; the next step, 1166, is above the maximum: 1000 is tried (it misses), then refined.
        var result = finder.find(holdingUpTo(900, rates), step -> {});

        assertThat(rates).containsExactly(345.0, 518.0, 777.0, 1000.0, 881.0);
        assertThat(result.sustainableRate()).isEqualTo(881.0);
        assertThat(result.stoppedBecause())
                .isEqualTo("SLO missed at 1000.0 devices/s; refined: 881.0 devices/s held, 1000.0 did not");
    }

    @Test
    void refinementStepsNarrowTheBracketBetweenTheLastRateThatHeldAndTheFirstThatMissed() {
        List<Double> rates = new ArrayList<>();
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 100, 1.5, 1000, 2, APIS);

        // The system holds up to 190/s: the rising steps alone would say 150.
        var result = finder.find(holdingUpTo(190, rates), step -> {});

        // sqrt(150 x 225) = 184 held, then sqrt(184 x 225) = 203 missed.
        assertThat(rates).containsExactly(100.0, 150.0, 225.0, 184.0, 203.0);
        assertThat(result.sustainableRate()).isEqualTo(184.0);
        assertThat(result.stoppedBecause())
                .isEqualTo("SLO missed at 225.0 devices/s; refined: 184.0 devices/s held, 203.0 did not");
    }

    @Test
    void refinementAfterSteppingDownAndThrottlingBeganAtTheLowestThrottledRate() {
        List<Double> rates = new ArrayList<>();
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 20, 1.5, 1000, 1, APIS);

        var result = finder.find(
                rate -> {
                    rates.add(rate);
                    return rate > 10 ? run(10, 0, Phase.CLAIM, 2, 1_000) : run(10, 0, Phase.CLAIM, 0, 1_000);
                },
                step -> {});

        // 20 and 13 throttled, 8.7 held, then sqrt(8.7 x 13) = 10.6, whole devices/s above 10: 11, throttled.
        assertThat(rates).containsExactly(20.0, 13.0, 8.7, 11.0);
        assertThat(result.sustainableRate()).isEqualTo(8.7);
        assertThat(result.throttlingBeganAt()).containsExactly(Map.entry("CreateProvisioningClaim", 11.0));
    }

    @Test
    void noRefinementWithoutAMissAboveOrWithoutAnyRateThatHeld() {
        var finder = new CeilingFinder(Slo.parse("errors<=0"), 10, 2, 40, 3, APIS);
        var rising = finder.find(rate -> run(5, 0, Phase.CLAIM, 0, 1_000), step -> {});
        assertThat(rising.steps()).hasSize(3);
        assertThat(rising.stoppedBecause()).isEqualTo("reached the maximum rate");

        var failing = finder.find(rate -> run(5, 1, Phase.CLAIM, 0, 1_000), step -> {});
        assertThat(failing.sustainableRate()).isNull();
        assertThat(failing.stoppedBecause()).doesNotContain("refined");
    }
}
