package io.fleetprov.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time of processes as Linux accounts it in {@code /proc/<pid>/stat}: user + system time, in clock ticks, of a
 * process alone or of its whole tree (every living descendant, plus what reaped children left in
 * {@code cutime + cstime}), so that PostgreSQL's backends count for PostgreSQL.
 */
final class ProcessCpu {

    /** USER_HZ: the unit of {@code /proc/<pid>/stat} times; 100 on every Linux the JDK runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private static final Path PROC = Path.of("/proc");
    private static final Pattern COMPILER_THREAD = Pattern.compile("C[12] CompilerThre");

    /** The fields of one {@code /proc/<pid>/stat} line that matter here. */
    record Stat(long pid, long parent, long ownTicks, long reapedChildrenTicks) {

        /**
         * Parses a stat line. The command name (field 2) is in parentheses and may itself hold spaces and
         * parentheses, so the fields are counted from the last ')'.
         */
        static Stat parse(String line) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
            }
            long pid = Long.parseLong(line.substring(0, open).trim());
            // After ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10) cminflt(11)
            // majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17) ...
            String[] f = line.substring(close + 1).trim().split("\\s+");
            long parent = Long.parseLong(f[1]);
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long reaped = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new Stat(pid, parent, own, reaped);
        }
    }

    private ProcessCpu() {}

    /** CPU seconds of the process alone (all its threads), without children. */
    static double ownSeconds(long pid) {
        return read(pid).map(s -> s.ownTicks() / TICKS_PER_SECOND).orElse(Double.NaN);
    }

    /**
     * CPU seconds of a JVM's JIT compiler threads (HotSpot names them "C1 CompilerThread…" and "C2 CompilerThread…",
     * which Linux cuts to 15 characters). A compiler thread the JVM ends takes its time with it; on 2 cores HotSpot
     * keeps one of each for good.
     */
    static double compilerSeconds(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks.toList()) {
                String line = readOrEmpty(task.resolve("stat"));
                int open = line.indexOf('(');
                if (open >= 0
                        && COMPILER_THREAD.matcher(line.substring(open + 1)).lookingAt()) {
                    ticks += Stat.parse(line).ownTicks();
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // the thread ended
        }
    }

    /** CPU seconds of the process and every descendant, living or reaped. */
    static double treeSeconds(long pid) {
        return treeTicks(pid, allProcesses()) / TICKS_PER_SECOND;
    }

    /** Ticks of {@code root} and its descendants among {@code processes}; 0 when root is gone. */
    static long treeTicks(long root, List<Stat> processes) {
        Map<Long, List<Stat>> children = new HashMap<>();
        Stat top = null;
        for (Stat s : processes) {
            children.computeIfAbsent(s.parent(), p -> new ArrayList<>()).add(s);
            if (s.pid() == root) {
                top = s;
            }
        }
        if (top == null) {
            return 0;
        }
        long ticks = 0;
        List<Stat> pending = new ArrayList<>(List.of(top));
        while (!pending.isEmpty()) {
            Stat s = pending.remove(pending.size() - 1);
            ticks += s.ownTicks() + s.reapedChildrenTicks();
            pending.addAll(children.getOrDefault(s.pid(), List.of()));
        }
        return ticks;
    }

    private static List<Stat> allProcesses() {
        List<Stat> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p ->
                            read(Long.parseLong(p.getFileName().toString())).ifPresent(all::add));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc (Linux only)", e);
        }
        return all;
    }

    private static Optional<Stat> read(long pid) {
        try {
            return Optional.of(
                    Stat.parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            // Gone between listing and reading, or not ours to read.
            return Optional.empty();
        }
    }
}
