package io.skyrun.outputs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Output files in a local folder: {@code <dir>/<owner>/<goal>/<run>/<name>}. */
public class LocalFileStore implements FileStore {
    private final Path root;

    public LocalFileStore(Path root) {
        this.root = root;
    }

    private Path run(String ownerId, String goalId, String runId) {
        return root.resolve(FileNames.ownerSegment(ownerId)).resolve(safe(goalId)).resolve(safe(runId));
    }

    private static String safe(String id) {
        if (!FileNames.valid(id)) {
            throw new IllegalArgumentException("not an id: " + id);
        }
        return id;
    }

    @Override
    public void put(String ownerId, String goalId, String runId, String name, String contentType, byte[] content) {
        Path dir = run(ownerId, goalId, runId);
        try {
            Files.createDirectories(dir);
            // written aside and moved, so a reader never sees half a file
            Path temp = Files.createTempFile(dir, ".part-", ".tmp");
            Files.write(temp, content);
            Files.move(temp, dir.resolve(safe(name)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store output file " + name, e);
        }
    }

    @Override
    public List<StoredFile> list(String ownerId, String goalId, String runId) {
        Path dir = run(ownerId, goalId, runId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> FileNames.valid(p.getFileName().toString()))
                    .map(p -> {
                        try {
                            String name = p.getFileName().toString();
                            return new StoredFile(name, FileNames.contentType(name), Files.size(p),
                                    Files.getLastModifiedTime(p).toInstant());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sorted(Comparator.comparing(StoredFile::name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> read(String ownerId, String goalId, String runId, String name) {
        if (!FileNames.valid(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(run(ownerId, goalId, runId).resolve(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteRun(String ownerId, String goalId, String runId) {
        deleteTree(run(ownerId, goalId, runId));
    }

    @Override
    public void deleteGoal(String ownerId, String goalId) {
        deleteTree(root.resolve(FileNames.ownerSegment(ownerId)).resolve(safe(goalId)));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
