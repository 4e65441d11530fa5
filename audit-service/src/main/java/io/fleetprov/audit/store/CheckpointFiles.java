package io.fleetprov.audit.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoint directory: one write-once file per checkpoint, {@code checkpoint-<seq, 20 digits>.jws}, so that the
 * names sort in chain order. A file appears whole (written aside, then renamed) and read-only; an existing one is
 * never replaced.
 */
public final class CheckpointFiles {

    private static final String PREFIX = "checkpoint-";
    private static final String SUFFIX = ".jws";

    private final Path directory;

    public CheckpointFiles(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint directory " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Writes the checkpoint for {@code seq} unless one exists; returns its file. */
    public Path write(long seq, String content) throws IOException {
        Path target = directory.resolve(String.format("%s%020d%s", PREFIX, seq, SUFFIX));
        if (Files.exists(target)) {
            return target;
        }
        Path partial = Files.createTempFile(directory, ".partial-", SUFFIX);
        try {
            Files.writeString(partial, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r--r--r--"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    /** Every checkpoint file, oldest first. */
    public List<Path> all() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint directory " + directory, e);
        }
    }

    public String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
    }
}
