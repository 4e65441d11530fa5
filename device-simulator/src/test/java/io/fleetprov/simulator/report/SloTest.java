package io.fleetprov.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetprov.simulator.client.Phase;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SloTest {

    /** 1000 devices provisioned in 10 s, 2 failed; total latency 1..1000 ms, uniformly. */
    static RunData run() {
        Map<Phase, Histogram> histograms = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            Histogram h = new Histogram(3);
            for (int ms = 1; ms <= 1000; ms++) {
                h.recordValue(ms * 1000L);
            }
            histograms.put(phase, h);
        }
        return new RunData(
                "r",
                Map.of(),
                0,
                1,
                1,
                0,
                10_000,
                1002,
                1002,
                1000,
                2,
                new TreeMap<>(Map.of("register-thing/AccessDenied", 2L)),
                new TreeMap<>(),
                histograms,
                Map.of(),
                List.of(),
                new TreeMap<>(),
                new TreeMap<>(),
                List.of());
    }

    @Test
    void passesWhenEveryCheckHolds() {
        SloResult result = Slo.parse("p99.total<=2s, p50.claim<600ms, errors<=0.5%, rate>=99")
                .evaluate(run());
        assertThat(result.passed()).isTrue();
        assertThat(result.checks()).hasSize(4).allMatch(SloResult.Outcome::passed);
    }

    @Test
    void failsOnTheCheckThatIsMissed() {
        SloResult result = Slo.parse("p99.total<=2s,errors<=0.1%").evaluate(run());
        assertThat(result.passed()).isFalse();
        assertThat(result.checks().get(0).passed()).isTrue();
        assertThat(result.checks().get(1).passed()).isFalse();
        assertThat(result.checks().get(1).actual()).isCloseTo(0.1996, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void percentilesComeFromTheHistogram() {
        assertThat(Slo.parse("p99.9.total<=999ms").evaluate(run()).passed()).isFalse();
        // HDR keeps 3 significant digits: a recorded 1000 ms reads back as up to 0.1 % more.
        assertThat(Slo.parse("max.register-thing<=1001ms").evaluate(run()).passed())
                .isTrue();
        assertThat(Slo.parse("max.register-thing<=999ms").evaluate(run()).passed())
                .isFalse();
        assertThat(Slo.parse("errors<=1").evaluate(run()).passed()).isFalse();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> Slo.parse("p99.total<=2")).hasMessageContaining("unit");
        assertThatThrownBy(() -> Slo.parse("p99.nothing<=2s")).hasMessageContaining("unknown phase");
        assertThatThrownBy(() -> Slo.parse("latency is fine")).hasMessageContaining("cannot read");
    }
}
