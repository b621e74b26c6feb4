package io.skyrun.outputs;

import java.util.List;
import java.util.Optional;

/** Storage port for run output files: local disk, or S3 on AWS. Paths are owner / goal / run / name. */
public interface FileStore {
    void put(String ownerId, String goalId, String runId, String name, String contentType, byte[] content);

    List<StoredFile> list(String ownerId, String goalId, String runId);

    /** The file's content, if it exists. */
    Optional<byte[]> read(String ownerId, String goalId, String runId, String name);

    void deleteRun(String ownerId, String goalId, String runId);

    void deleteGoal(String ownerId, String goalId);
}
