package io.fleetprov.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetprov.emulator.cli.EmulatorCommand;
import io.fleetprov.simulator.cli.SimulateCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./fleetprov …} command the README shows is parsed (never run) by the command tree the
 * {@code fleetprov} script hands it to, so that an option or subcommand the code does not know fails the build
 * instead of a reader. Commands in {@code bash} blocks are meant to be pasted and must parse completely; inline
 * mentions in prose and tables use placeholders ({@code DIR}, {@code [--dry-run]}) and only their option and
 * subcommand names are checked.
 */
class ReadmeCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The script's first word → the picocli tree its branch runs. */
    private static final Map<String, Supplier<CommandLine>> TREES = Map.of(
            "demo", () -> new CommandLine(new DemoCommand()),
            "bench", () -> new CommandLine(new BenchCommand()),
            "emulator", () -> new CommandLine(new EmulatorCommand()),
            "simulate", () -> new CommandLine(new SimulateCommand()));

    /** How the script starts each tree: what its branch must contain. */
    private static final Map<String, String> LAUNCHED_BY = Map.of(
            "demo", DemoCommand.class.getName(),
            "bench", BenchCommand.class.getName(),
            "emulator", EmulatorCommand.class.getName(),
            "simulate", "device-simulator/target/quarkus-app/quarkus-run.jar");

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\w*)\\s*$");
    private static final Pattern INLINE = Pattern.compile("`(\\./fleetprov(?: [^`]*)?)`");

    record Documented(int line, String text, List<String> args, boolean complete) {}

    @Test
    void everyDocumentedCommandParses() throws IOException {
        Map<String, String> branches = scriptBranches();
        List<String> problems = new ArrayList<>();
        for (Path document : documents()) {
            for (Documented command : commands(Files.readAllLines(document))) {
                String problem = check(command, branches);
                if (problem != null) {
                    problems.add(ROOT.relativize(document) + ":" + command.line() + ": " + command.text() + "\n    "
                            + problem);
                }
            }
        }
        assertThat(problems).as("README commands the code does not accept").isEmpty();
    }

    /** The README and the pages it hands detail to (docs/), whose commands are pasted as well. */
    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        assertThat(documents).as("README.md and docs/**/*.md").hasSizeGreaterThan(1);
        return documents;
    }

    @Test
    void theReadmeShowsEveryTreeSoTheTestCoversThem() throws IOException {
        List<Documented> commands = commands(Files.readAllLines(ROOT.resolve("README.md")));
        assertThat(commands.stream()
                        .filter(c -> c.complete() && !c.args().isEmpty())
                        .map(c -> c.args().get(0)))
                .contains("demo", "bench", "emulator", "simulate", "claim-service", "audit-service");
        assertThat(commands.stream().filter(c -> !c.complete()).map(Documented::text))
                .contains("./fleetprov simulate cleanup --run-id ID [--dry-run]");
    }

    @Test
    void theTreesAreTheOnesTheScriptRuns() throws IOException {
        Map<String, String> branches = scriptBranches();
        LAUNCHED_BY.forEach((word, launched) -> assertThat(branches.get(word))
                .as("the script's '%s' branch", word)
                .contains(launched));
        // The simulator's jar is a Quarkus picocli app: its top command is the one marked @TopCommand.
        assertThat(SimulateCommand.class.isAnnotationPresent(TopCommand.class)).isTrue();
    }

    @Test
    void aDriftedCommandIsCaught() throws IOException {
        Map<String, String> branches = scriptBranches();
        List<Documented> drifted = commands(List.of(
                "```bash",
                "./fleetprov emulator claim --data-dir d --template t --out o --no-such-option",
                "./fleetprov simulate soak --soak 2m --template t --devices 1",
                "./fleetprov simulate no-such-command",
                "./fleetprov no-such-part",
                "./fleetprov audit-service --port 1",
                "```",
                "see `./fleetprov simulate cleanup --run-id ID [--no-such-flag]`"));
        assertThat(drifted).hasSize(6);
        for (Documented command : drifted) {
            assertThat(check(command, branches)).as(command.text()).isNotNull();
        }
    }

    /** Null when the command parses; else why not. */
    private static String check(Documented command, Map<String, String> branches) {
        if (command.args().isEmpty()) {
            // A bare "./fleetprov" prints the usage.
            return null;
        }
        String word = command.args().get(0);
        List<String> args = command.args().subList(1, command.args().size());
        if (!branches.containsKey(word)) {
            return "the fleetprov script has no command '" + word + "'";
        }
        Supplier<CommandLine> tree = TREES.get(word);
        if (tree != null) {
            try {
                tree.get().parseArgs(args.toArray(String[]::new));
                return null;
            } catch (CommandLine.UnmatchedArgumentException e) {
                return e.getMessage();
            } catch (CommandLine.ParameterException e) {
                // Placeholders in prose may miss values or required options; pasted commands may not.
                return command.complete() ? e.getMessage() : null;
            }
        }
        return switch (word) {
            // The script turns every remaining argument into a JVM option.
            case "audit-service" ->
                args.stream()
                        .filter(a -> !a.startsWith("-D"))
                        .findFirst()
                        .map(a -> "audit-service takes only -Dkey=value, not " + a)
                        .orElse(null);
            // The script reads its own two options; Quarkus gets the rest, and the README passes none.
            case "claim-service" -> scriptOptionsOnly(args, branches.get(word));
            default -> "no command tree for '" + word + "'";
        };
    }

    private static String scriptOptionsOnly(List<String> args, String branch) {
        for (int i = 0; i < args.size(); i += 2) {
            if (!branch.contains(args.get(i) + ")")) {
                return "the script's claim-service branch does not read " + args.get(i);
            }
        }
        return null;
    }

    /** The {@code case} branches of the fleetprov script: first word → the branch's text. */
    private static Map<String, String> scriptBranches() throws IOException {
        Map<String, String> branches = new LinkedHashMap<>();
        Pattern label = Pattern.compile("^  ([a-z][a-z-]*)\\)\\s*$");
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("fleetprov"))) {
            Matcher m = label.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                body.setLength(0);
            } else if (current != null && line.trim().equals(";;")) {
                branches.put(current, body.toString());
                current = null;
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        assertThat(branches).as("branches of the fleetprov script").containsKeys("demo", "emulator", "simulate");
        return branches;
    }

    /** The {@code ./fleetprov} commands of shell code blocks (complete) and of inline code spans (with placeholders). */
    static List<Documented> commands(List<String> lines) {
        List<Documented> commands = new ArrayList<>();
        boolean inBlock = false;
        boolean shell = false;
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                inBlock = !inBlock;
                shell = inBlock && List.of("bash", "sh", "shell").contains(fence.group(1));
                continue;
            }
            if (inBlock) {
                if (!shell) {
                    continue;
                }
                String trimmed = line.trim();
                if (pending == null && !trimmed.startsWith("./fleetprov")) {
                    continue;
                }
                if (pending == null) {
                    pending = new StringBuilder();
                    pendingLine = i + 1;
                }
                boolean continued = trimmed.endsWith("\\");
                pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                        .append(' ');
                if (!continued) {
                    String text = pending.toString().trim();
                    commands.add(new Documented(pendingLine, text, words(text), true));
                    pending = null;
                }
                continue;
            }
            Matcher inline = INLINE.matcher(line);
            while (inline.find()) {
                String text = inline.group(1);
                commands.add(new Documented(i + 1, text, words(withoutPlaceholders(text)), false));
            }
        }
        if (pending != null) {
            fail("README.md:" + pendingLine + ": a command continues past the end of its code block");
        }
        return commands;
    }

    /**
     * {@code [--dry-run]} is an optional option (checked), {@code [options]} and a lone {@code …} stand for others
     * (dropped), {@code DIR…} for one or more values.
     */
    private static String withoutPlaceholders(String text) {
        return text.replace("[options]", " ")
                .replace("[", " ")
                .replace("]", " ")
                .replaceAll("(^|\\s)…(?=\\s|$)", " ")
                .replace("…", "");
    }

    /**
     * The words after {@code ./fleetprov} as a shell would pass them: quotes joined and removed, and the command
     * ending at a comment, a redirection, {@code &}, {@code ;} or a pipe.
     */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '>' || c == '&' || c == ';' || c == '|' || (word == null && c == '#')) {
                break;
            } else if (word == null && Character.isDigit(c) && next(command, i) == '>') {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        assertThat(words).as(command).isNotEmpty();
        assertThat(words.get(0)).as(command).isEqualTo("./fleetprov");
        return new ArrayList<>(words.subList(1, words.size()));
    }

    private static char next(String s, int i) {
        return i + 1 < s.length() ? s.charAt(i + 1) : 0;
    }
}
