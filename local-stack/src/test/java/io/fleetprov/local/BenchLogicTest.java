package io.fleetprov.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's own arithmetic: /proc stat parsing, CPU of a process tree, ratios and verdicts, hook percentiles. */
class BenchLogicTest {

    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    private static String stat(long pid, String comm, long parent, long utime, long stime, long cutime, long cstime) {
        return pid + " (" + comm + ") S " + parent + " 1 1 0 -1 4194304 100 0 0 0 " + utime + " " + stime + " " + cutime
                + " " + cstime + " 20 0 30 0 12345 1000000 200";
    }

    @Test
    void aStatLineIsReadFromTheLastParenthesisSoOddCommandNamesDoNotShiftIt() {
        ProcessCpu.Stat s = ProcessCpu.Stat.parse(stat(4242, "postgres: (walwriter) 1", 17, 310, 45, 7, 3));
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.parent()).isEqualTo(17);
        assertThat(s.ownTicks()).isEqualTo(355);
        assertThat(s.reapedChildrenTicks()).isEqualTo(10);
    }

    @Test
    void aTreeCountsEveryDescendantAndWhatReapedChildrenLeftButNotOtherProcesses() {
        List<ProcessCpu.Stat> processes = List.of(
                ProcessCpu.Stat.parse(stat(1, "init", 0, 1000, 1000, 0, 0)),
                ProcessCpu.Stat.parse(stat(10, "postgres", 1, 100, 20, 30, 0)),
                ProcessCpu.Stat.parse(stat(11, "postgres: checkpointer", 10, 5, 5, 0, 0)),
                ProcessCpu.Stat.parse(stat(12, "postgres: claims", 10, 50, 10, 0, 0)),
                ProcessCpu.Stat.parse(stat(13, "child of a backend", 12, 1, 1, 0, 0)),
                ProcessCpu.Stat.parse(stat(20, "java", 1, 999, 999, 0, 0)));
        assertThat(ProcessCpu.treeTicks(10, processes)).isEqualTo(120 + 30 + 10 + 60 + 2);
        assertThat(ProcessCpu.treeTicks(99, processes)).isZero();
    }

    @Test
    void thisProcessHasSpentSomeCpu() {
        long pid = ProcessHandle.current().pid();
        double own = ProcessCpu.ownSeconds(pid);
        assertThat(own).isPositive();
        // Read after: the tree holds this process, which has only spent more since.
        assertThat(ProcessCpu.treeSeconds(pid)).isGreaterThanOrEqualTo(own);
    }

    @Test
    void aJvmsCompilerThreadsAreFoundByNameAndAProcessWithoutThemHasNone() throws Exception {
        long pid = ProcessHandle.current().pid();
        // This JVM has compiled the test framework by now; its compilers are part of its own CPU.
        assertThat(ProcessCpu.compilerSeconds(pid)).isPositive().isLessThanOrEqualTo(ProcessCpu.ownSeconds(pid));
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ProcessCpu.compilerSeconds(sleep.pid())).isZero();
        } finally {
            sleep.destroy();
        }
        assertThat(ProcessCpu.compilerSeconds(Long.MAX_VALUE)).isNaN();
    }

    @Test
    void ratiosAreJudgedAgainstTheirFloorsAndAMissingCeilingIsNotMet() {
        assertThat(new BenchReport.Target("trusted/direct", 60.0, 120.0, 0.5).met())
                .isTrue();
        assertThat(new BenchReport.Target("trusted/direct", 59.0, 120.0, 0.5).verdict())
                .isEqualTo("not met");
        assertThat(new BenchReport.Target("direct/machine-limit", 158.0, 263.7, 0.6).ratio())
                .isCloseTo(0.599, within(0.001));
        BenchReport.Target none = new BenchReport.Target("trusted/direct", null, 120.0, 0.5);
        assertThat(none.ratio()).isNull();
        assertThat(none.verdict()).isEqualTo("not met");
    }

    @Test
    void cpuPerDeviceIsTheStepsDifferenceOverItsDevices() {
        Map<String, Double> perDevice = BenchFlow.cpuMsPerDevice(
                Map.of("emulator", 10.0, "simulator", 4.0),
                Map.of("emulator", 13.0, "simulator", 5.5, "postgresql", 1.0),
                600);
        assertThat(perDevice.get("emulator")).isCloseTo(5.0, within(1e-9));
        assertThat(perDevice.get("simulator")).isCloseTo(2.5, within(1e-9));
        assertThat(perDevice.get("postgresql")).isNaN();
        assertThat(BenchFlow.cpuMsPerDevice(Map.of("emulator", 1.0), Map.of("emulator", 2.0), 0)
                        .get("emulator"))
                .isNaN();
    }

    @Test
    void hookPercentilesComeFromTheHookLinesOnly() {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            lines.add(i + " 200 /v1/hooks/pre-provisioning");
        }
        lines.add("5000 200 /v1/claims");
        lines.add("garbage");
        HookLatency.Stats stats = HookLatency.of(lines);
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50Ms()).isEqualTo(50);
        assertThat(stats.p99Ms()).isEqualTo(99);
        assertThat(stats.maxMs()).isEqualTo(100);
        assertThat(HookLatency.of(List.of()).count()).isZero();
    }

    /** A step that provisioned 20 devices a second of offered rate, with the CPU per device of its processes. */
    private static BenchFlow.Step step(double rate, boolean sustainable, Map<String, Double> cpuMsPerDevice) {
        return new BenchFlow.Step(rate, rate, (long) rate * 20, 0, 100, sustainable, cpuMsPerDevice, Map.of());
    }

    /** A ceiling search as the report reads it, without hook figures or an overload run. */
    private static BenchFlow search(String name, Double ceiling, BenchFlow.Step... steps) {
        return new BenchFlow(name, ceiling, "", List.of(steps), null, null);
    }

    @Test
    void cpuIsComparedAtTheRatesBothFlowsRanWhereEveryProcessWasRead() {
        BenchFlow direct = search(
                "direct",
                230.0,
                step(153, true, Map.of("emulator", 2.9, "simulator", 3.0)),
                step(102, true, Map.of("emulator", 3.2, "simulator", 3.1)),
                step(230, true, Map.of("emulator", 2.7, "simulator", 2.8)),
                step(68, true, Map.of("emulator", 3.4, "simulator", Double.NaN)));
        BenchFlow trusted = search(
                "trusted",
                153.0,
                step(68, true, Map.of("emulator", 5.2, "claim-service", 3.5)),
                step(153, true, Map.of("emulator", 3.9, "claim-service", 8.0)),
                step(102, true, Map.of("emulator", 4.7, "claim-service", 7.8)),
                step(345, false, Map.of("emulator", 3.5, "claim-service", 7.5)));
        BenchReport report = new BenchReport(1000, direct, trusted, Map.of());

        // 68/s: the direct simulator was not read; 230 and 345: only one flow ran there.
        assertThat(report.sameRateCpu()).extracting(BenchReport.SameRate::rate).containsExactly(102.0, 153.0);
        BenchReport.SameRate at153 = report.sameRateCpu().get(1);
        assertThat(at153.directMs()).isCloseTo(5.9, within(1e-9));
        assertThat(at153.trustedMs()).isCloseTo(11.9, within(1e-9));
        assertThat(at153.ratio()).isCloseTo(11.9 / 5.9, within(1e-9));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("153\\.0 +5\\.90 +11\\.90 +2\\.02\\n");
    }

    @Test
    void theTrustedFloorIsTurnedIntoWhatItLeavesTheTrustedServicesPerDevice() {
        // bench s27's figures: the direct ceiling 634/s, the trusted one 198/s (186.37/s achieved).
        BenchFlow direct = search(
                "direct",
                634.0,
                step(230, true, Map.of("emulator", 3.65, "simulator", 3.66)),
                step(345, true, Map.of("emulator", 2.96, "simulator", 2.55)),
                step(634, true, Map.of("emulator", 1.94, "simulator", 1.56)));
        BenchFlow trusted = search(
                "trusted",
                198.0,
                new BenchFlow.Step(
                        198,
                        186.37,
                        3960,
                        0,
                        3957,
                        true,
                        Map.of(
                                "emulator", 4.40,
                                "claim-service", 2.05,
                                "audit-service", 0.41,
                                "postgresql", 1.98,
                                "simulator", 1.75),
                        Map.of()));
        BenchReport report = new BenchReport(1209.4, direct, trusted, Map.of());

        BenchReport.TrustedBudget budget = report.trustedBudget().orElseThrow();

        assertThat(budget.rate()).isCloseTo(317.0, within(1e-9));
        assertThat(budget.cores()).isCloseTo(186.37 * 10.59 / 1000, within(1e-9));
        assertThat(budget.budgetMs()).isCloseTo(6.226, within(1e-3));
        // 345/s is nearer to 317/s than 230/s is.
        assertThat(budget.directRate()).isEqualTo(345.0);
        assertThat(budget.deviceSideMs()).isCloseTo(5.51, within(1e-9));
        assertThat(budget.leftMs()).isCloseTo(0.716, within(1e-3));
        assertThat(budget.servicesMs()).isCloseTo(4.44, within(1e-9));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("trusted/direct >= 0.5 in this run's CPU: 317.0 devices/s on the 1.97 cores the trusted"
                        + " ceiling's step used is 6.23 ms per device; the direct flow at 345.0/s spent 5.51, which"
                        + " leaves 0.72 for claim-service, audit-service and PostgreSQL (at the trusted ceiling they"
                        + " spent 4.44)");
    }

    @Test
    void withoutATrustedCeilingThereIsNoBudget() {
        BenchFlow direct = search("direct", 634.0, step(345, true, Map.of("emulator", 2.96)));
        BenchFlow trusted = search("trusted", null);

        assertThat(new BenchReport(1000, direct, trusted, Map.of()).trustedBudget())
                .isEmpty();
    }

    @Test
    void eachCeilingIsPrintedWithWhatItsStepAchievedNotOnlyWhatWasOffered() {
        BenchFlow direct = new BenchFlow(
                "direct",
                634.0,
                "SLO missed at 777.0 devices/s; refined: 634.0 devices/s held, 702.0 did not",
                List.of(
                        new BenchFlow.Step(518, 433.9, 10360, 0, 4624, true, Map.of(), Map.of()),
                        new BenchFlow.Step(777, 518.9, 15540, 0, 10207, false, Map.of(), Map.of()),
                        new BenchFlow.Step(634, 529.8, 12680, 0, 4444, true, Map.of(), Map.of()),
                        new BenchFlow.Step(702, 496.4, 14040, 0, 8733, false, Map.of(), Map.of())),
                null,
                null);
        BenchFlow trusted = new BenchFlow("trusted", null, "SLO missed at 20.0 devices/s", List.of(), null, null);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new BenchReport(870.5, direct, trusted, Map.of()).print(new PrintStream(printed, true, StandardCharsets.UTF_8));

        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(report)
                .containsPattern("direct-claims ceiling +634\\.0 +direct/machine-limit 0\\.72 .*met"
                        + " +\\(step achieved 529\\.8/s, p99 total 4\\.4 s\\)");
        assertThat(report).containsPattern("trusted-user ceiling +none +trusted/direct n/a +>= 0\\.5 +not met\\n");

        // 702 / 1177.7 = 0.596: printed rounded down, beside its verdict, never as 0.60.
        ByteArrayOutputStream justUnder = new ByteArrayOutputStream();
        BenchFlow at702 = new BenchFlow(
                "direct",
                702.0,
                "SLO missed at 777.0 devices/s; refined: 702.0 devices/s held, 739.0 did not",
                List.of(new BenchFlow.Step(702, 582.7, 14040, 0, 4500, true, Map.of(), Map.of())),
                null,
                null);
        new BenchReport(1177.7, at702, trusted, Map.of())
                .print(new PrintStream(justUnder, true, StandardCharsets.UTF_8));
        assertThat(justUnder.toString(StandardCharsets.UTF_8))
                .containsPattern("direct/machine-limit 0\\.59 +>= 0\\.6 +not met");
    }
}
