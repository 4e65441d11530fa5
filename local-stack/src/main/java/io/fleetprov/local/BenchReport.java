package io.fleetprov.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The bench's answer: the three rates, their ratios against the targets, and CPU per device per process. */
record BenchReport(double machineLimit, BenchFlow direct, BenchFlow trusted, Map<String, Object> settings) {

    static final double TRUSTED_FLOOR = 0.5;

    /** The trusted-user system's own processes, which the direct flow does without. */
    static final List<String> TRUSTED_SERVICES = List.of("claim-service", "audit-service", "postgresql");

    /** A ratio the issue sets a floor for; not met when either rate is missing. */
    record Target(String name, Double numerator, Double denominator, double atLeast) {

        Double ratio() {
            return numerator == null || denominator == null || denominator <= 0 ? null : numerator / denominator;
        }

        boolean met() {
            Double ratio = ratio();
            return ratio != null && ratio >= atLeast;
        }

        String verdict() {
            return met() ? "met" : "not met";
        }
    }

    /** Both flows' CPU per device (all processes) in their steps at one offered rate. */
    record SameRate(double rate, double directMs, double trustedMs) {

        double ratio() {
            return trustedMs / directMs;
        }
    }

    /**
     * The rates both searches stepped at, lowest first, where both steps provisioned devices and every process was
     * read. CPU per device falls as the rate rises (work that finds a thread running costs less than work that wakes
     * it), so the ceilings' own rows compare the trusted flow at its rate with the direct flow at a rate several times
     * higher; at one rate the comparison is of the flows alone.
     */
    List<SameRate> sameRateCpu() {
        List<SameRate> rows = new ArrayList<>();
        for (BenchFlow.Step d : direct.steps()) {
            for (BenchFlow.Step t : trusted.steps()) {
                if (d.offeredRate() == t.offeredRate()
                        && complete(d.cpuMsPerDevice())
                        && complete(t.cpuMsPerDevice())) {
                    rows.add(new SameRate(d.offeredRate(), sum(d.cpuMsPerDevice()), sum(t.cpuMsPerDevice())));
                }
            }
        }
        rows.sort(Comparator.comparingDouble(SameRate::rate));
        return rows;
    }

    /** Every process read, and some CPU spent (a step that provisioned nothing has none). */
    private static boolean complete(Map<String, Double> cpuMsPerDevice) {
        return !cpuMsPerDevice.isEmpty()
                && cpuMsPerDevice.values().stream().noneMatch(v -> v.isNaN())
                && sum(cpuMsPerDevice) > 0;
    }

    /**
     * What trusted/direct at its floor leaves the trusted-user services, in this run's own figures: at {@code rate}
     * (the floor times the direct ceiling), the {@code cores} the trusted ceiling's step used come to
     * {@code budgetMs} per device; the direct flow at the rate nearest to it, {@code directRate}, spent
     * {@code deviceSideMs} (the emulator and the simulator, the device side both flows share); the rest is what
     * claim-service, audit-service and PostgreSQL could spend, against {@code servicesMs} at the trusted ceiling.
     */
    record TrustedBudget(
            double cores, double rate, double budgetMs, double directRate, double deviceSideMs, double servicesMs) {

        double leftMs() {
            return budgetMs - deviceSideMs;
        }
    }

    /** Empty when either search found no ceiling or a step it needs has a process that could not be read. */
    Optional<TrustedBudget> trustedBudget() {
        int at = trusted.ceilingStep();
        if (at < 0 || direct.ceiling() == null) {
            return Optional.empty();
        }
        BenchFlow.Step step = trusted.steps().get(at);
        double rate = TRUSTED_FLOOR * direct.ceiling();
        Optional<BenchFlow.Step> nearest = direct.steps().stream()
                .filter(s -> complete(s.cpuMsPerDevice()))
                .min(Comparator.comparingDouble(s -> Math.abs(Math.log(s.offeredRate() / rate))));
        if (!complete(step.cpuMsPerDevice()) || nearest.isEmpty()) {
            return Optional.empty();
        }
        double cores = step.achievedRate() * sum(step.cpuMsPerDevice()) / 1000;
        double services = TRUSTED_SERVICES.stream()
                .mapToDouble(p -> step.cpuMsPerDevice().getOrDefault(p, 0.0))
                .sum();
        return Optional.of(new TrustedBudget(
                cores,
                rate,
                cores * 1000 / rate,
                nearest.get().offeredRate(),
                sum(nearest.get().cpuMsPerDevice()),
                services));
    }

    List<Target> targets() {
        return List.of(
                new Target("trusted/direct", trusted.ceiling(), direct.ceiling(), TRUSTED_FLOOR),
                new Target("direct/machine-limit", direct.ceiling(), machineLimit, 0.6));
    }

    void print(PrintStream out) {
        out.println();
        out.println("==== fleetprov bench ====");
        out.printf(Locale.ROOT, "%-22s %12s   %-28s %8s   %s%n", "", "devices/s", "ratio", "target", "verdict");
        out.printf(Locale.ROOT, "%-22s %12.1f%n", "machine limit", machineLimit);
        List<Target> targets = targets();
        printFlow(out, "direct-claims ceiling", direct, targets.get(1));
        printFlow(out, "trusted-user ceiling", trusted, targets.get(0));
        out.println();
        out.println(
                "CPU ms per provisioned device in the step at each ceiling (the first step when none met the SLO):");
        Map<String, Double> d = direct.cpuMsPerDeviceReported();
        Map<String, Double> t = trusted.cpuMsPerDeviceReported();
        Set<String> processes = new LinkedHashSet<>();
        processes.add("emulator");
        processes.addAll(TRUSTED_SERVICES);
        processes.add("simulator");
        processes.addAll(d.keySet());
        processes.addAll(t.keySet());
        out.printf(Locale.ROOT, "  %-14s %10s %10s%n", "process", "direct", "trusted");
        out.printf(Locale.ROOT, "  %-14s %10s %10s%n", "(step at /s)", rate(direct), rate(trusted));
        for (String process : processes) {
            out.printf(Locale.ROOT, "  %-14s %10s %10s%n", process, ms(d.get(process)), ms(t.get(process)));
        }
        out.printf(Locale.ROOT, "  %-14s %10s %10s%n", "total", ms(sum(d)), ms(sum(t)));
        // Counted in the rows above: what the JVMs still spent compiling says how warm they were.
        out.printf(
                Locale.ROOT,
                "  %-14s %10s %10s%n",
                "of it, JIT",
                ms(sum(direct.jitMsPerDeviceReported())),
                ms(sum(trusted.jitMsPerDeviceReported())));
        trustedBudget()
                .ifPresent(b -> out.printf(
                        Locale.ROOT,
                        "trusted/direct >= %.1f in this run's CPU: %.1f devices/s on the %.2f cores the trusted ceiling's step"
                                + " used is %.2f ms per device; the direct flow at %.1f/s spent %.2f, which leaves %.2f for"
                                + " claim-service, audit-service and PostgreSQL (at the trusted ceiling they spent %.2f)%n",
                        TRUSTED_FLOOR,
                        b.rate(),
                        b.cores(),
                        b.budgetMs(),
                        b.directRate(),
                        b.deviceSideMs(),
                        b.leftMs(),
                        b.servicesMs()));
        List<SameRate> sameRate = sameRateCpu();
        if (!sameRate.isEmpty()) {
            out.println("CPU ms per device, all processes, at the rates both flows ran:");
            out.printf(Locale.ROOT, "  %-14s %10s %10s %16s%n", "offered /s", "direct", "trusted", "trusted/direct");
            for (SameRate row : sameRate) {
                out.printf(
                        Locale.ROOT,
                        "  %-14.1f %10.2f %10.2f %16.2f%n",
                        row.rate(),
                        row.directMs(),
                        row.trustedMs(),
                        row.ratio());
            }
        }
        HookLatency.Stats hooks = trusted.hooks();
        if (hooks != null && hooks.count() > 0) {
            out.printf(
                    Locale.ROOT,
                    "hook in the trusted step at %s/s: p50 %d ms, p99 %d ms, max %d ms over %d calls "
                            + "(claim-service access log; target p99 <= 250 ms at the ceiling: %s)%n",
                    rate(trusted),
                    hooks.p50Ms(),
                    hooks.p99Ms(),
                    hooks.maxMs(),
                    hooks.count(),
                    trusted.ceilingStep() >= 0 && hooks.p99Ms() <= 250 ? "met" : "not met");
        } else {
            out.println("hook in the trusted step: no calls logged");
        }
        out.println();
        out.println("At " + OverloadRun.FACTOR + "x each ceiling (target: zero failed devices, overload shed as "
                + "retryable 429/503, no broker fault logged):");
        printOverload(out, direct);
        printOverload(out, trusted);
    }

    private static void printOverload(PrintStream out, BenchFlow flow) {
        OverloadRun.Result o = flow.overload();
        if (o == null) {
            out.printf(Locale.ROOT, "  %-8s not run%n", flow.name());
            return;
        }
        out.printf(
                Locale.ROOT,
                "  %-8s %.1f/s for %s: %d provisioned of %d, %d failed, %d claims shed and retried, p99 total %.0f ms,"
                        + " %d broker faults: %s%n",
                flow.name(),
                o.offeredRate(),
                o.duration(),
                o.provisioned(),
                o.started(),
                o.failed(),
                o.throttled(),
                o.p99TotalMs(),
                o.brokerFaults(),
                overloadMet(o) ? "met" : "not met");
    }

    static boolean overloadMet(OverloadRun.Result o) {
        return o.failed() == 0 && o.brokerFaults() == 0 && o.provisioned() == o.started();
    }

    private static void printFlow(PrintStream out, String label, BenchFlow flow, Target target) {
        Double ratio = target.ratio();
        int at = flow.ceilingStep();
        // The ceiling is an offered rate; a 20 s step can meet p99 <= 5 s while the system falls behind it, so what
        // the step achieved is shown beside it.
        String achieved = at < 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "   (step achieved %.1f/s, p99 total %.1f s)",
                        flow.steps().get(at).achievedRate(),
                        flow.steps().get(at).p99TotalMs() / 1000);
        out.printf(
                Locale.ROOT,
                "%-22s %12s   %-28s %8s   %s%s%n",
                label,
                flow.ceiling() == null ? "none" : String.format(Locale.ROOT, "%.1f", flow.ceiling()),
                // Rounded down, so that a ratio just under its floor (0.596 against 0.6) does not print as the floor.
                target.name() + " "
                        + (ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", Math.floor(ratio * 100) / 100)),
                ">= " + target.atLeast(),
                target.verdict(),
                achieved);
    }

    private static String rate(BenchFlow flow) {
        return flow.reportedRate() == null ? "-" : String.format(Locale.ROOT, "%.1f", flow.reportedRate());
    }

    private static String ms(Double value) {
        return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static Double sum(Map<String, Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        return values.values().stream()
                .filter(v -> !v.isNaN())
                .mapToDouble(Double::doubleValue)
                .sum();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machineLimitDevicesPerSecond", machineLimit);
        m.put("direct", flowMap(direct));
        m.put("trusted", flowMap(trusted));
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (Target target : targets()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", target.name());
            r.put("ratio", target.ratio());
            r.put("atLeast", target.atLeast());
            r.put("met", target.met());
            ratios.add(r);
        }
        m.put("ratios", ratios);
        m.put("cpuMsPerDeviceAtSameRate", sameRateCpu());
        trustedBudget().ifPresent(b -> m.put("trustedBudget", b));
        m.put("settings", settings);
        return m;
    }

    private static Map<String, Object> flowMap(BenchFlow flow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ceilingDevicesPerSecond", flow.ceiling());
        m.put("stoppedBecause", flow.stoppedBecause());
        // The ceiling's step, or the first when none met the SLO (then stoppedBecause says so).
        m.put("reportedStepRate", flow.reportedRate());
        m.put("cpuMsPerDevice", flow.cpuMsPerDeviceReported());
        m.put("jitMsPerDevice", flow.jitMsPerDeviceReported());
        if (flow.hooks() != null) {
            m.put("hook", flow.hooks());
        }
        if (flow.overload() != null) {
            m.put("overload", flow.overload());
            m.put("overloadMet", overloadMet(flow.overload()));
        }
        m.put("steps", flow.steps());
        return m;
    }
}
