package io.skyrun.outputs;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Output files in an S3 bucket: {@code <owner>/<goal>/<run>/<name>}. */
public class S3FileStore implements FileStore {
    private final Supplier<S3Client> s3;
    private final String bucket;

    /** @param s3 the client, asked for on each call (a {@code LazyClient} builds it on the first) */
    public S3FileStore(Supplier<S3Client> s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    private static String prefix(String ownerId, String goalId) {
        return FileNames.ownerSegment(ownerId) + "/" + goalId + "/";
    }

    private static String prefix(String ownerId, String goalId, String runId) {
        return prefix(ownerId, goalId) + runId + "/";
    }

    @Override
    public void put(String ownerId, String goalId, String runId, String name, String contentType, byte[] content) {
        s3.get().putObject(b -> b.bucket(bucket).key(prefix(ownerId, goalId, runId) + name).contentType(contentType),
                RequestBody.fromBytes(content));
    }

    @Override
    public List<StoredFile> list(String ownerId, String goalId, String runId) {
        String prefix = prefix(ownerId, goalId, runId);
        return objects(prefix).stream()
                .map(o -> {
                    String name = o.key().substring(prefix.length());
                    return new StoredFile(name, FileNames.contentType(name), o.size(), o.lastModified());
                })
                .filter(f -> FileNames.valid(f.name()))
                .sorted(Comparator.comparing(StoredFile::name))
                .toList();
    }

    @Override
    public Optional<byte[]> read(String ownerId, String goalId, String runId, String name) {
        if (!FileNames.valid(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(prefix(ownerId, goalId, runId) + name))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteRun(String ownerId, String goalId, String runId) {
        deleteAll(objects(prefix(ownerId, goalId, runId)));
    }

    @Override
    public void deleteGoal(String ownerId, String goalId) {
        deleteAll(objects(prefix(ownerId, goalId)));
    }

    private List<S3Object> objects(String prefix) {
        List<S3Object> out = new ArrayList<>();
        s3.get().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(out::add);
        return out;
    }

    private void deleteAll(List<S3Object> objects) {
        for (int from = 0; from < objects.size(); from += 1000) {
            List<ObjectIdentifier> ids = objects.subList(from, Math.min(objects.size(), from + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            s3.get().deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
        }
    }
}
