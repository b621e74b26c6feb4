package io.skyrun.outputs;

import io.micronaut.context.ApplicationContext;
import io.skyrun.testing.FakeS3;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Output files on S3 (SKYRUN_FILES=s3), against a server on 127.0.0.1 speaking the S3 REST protocol. */
class S3FileStoreTest {
    @Test
    void filesArePutListedReadAndDeletedUnderOwnerGoalAndRun() {
        try (FakeS3 s3 = new FakeS3("skyrun-files");
             ApplicationContext context = ApplicationContext.run(Map.of("skyrun.outputs.files", "s3",
                     "skyrun.outputs.files-bucket", "skyrun-files", "skyrun.aws.s3-endpoint", s3.url()), "test")) {
            FileStore store = context.getBean(FileStore.class);
            assertThat(store).isInstanceOf(S3FileStore.class);

            store.put("default", "goal_a", "run_1", "report.md", "text/markdown", "# hello".getBytes(StandardCharsets.UTF_8));
            store.put("default", "goal_a", "run_2", "data.json", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            store.put("other", "goal_a", "run_1", "report.md", "text/markdown", "theirs".getBytes(StandardCharsets.UTF_8));

            assertThat(s3.objects()).containsKey(FileNames.ownerSegment("default") + "/goal_a/run_1/report.md");
            assertThat(store.list("default", "goal_a", "run_1")).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("report.md");
                assertThat(f.size()).isEqualTo(7);
            });
            assertThat(store.read("default", "goal_a", "run_1", "report.md"))
                    .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("# hello"));
            assertThat(store.read("default", "goal_a", "run_1", "missing.md")).isEmpty();

            store.deleteRun("default", "goal_a", "run_2");
            assertThat(store.list("default", "goal_a", "run_2")).isEmpty();
            assertThat(store.list("default", "goal_a", "run_1")).hasSize(1);
            store.deleteGoal("default", "goal_a");
            assertThat(store.list("default", "goal_a", "run_1")).isEmpty();
            assertThat(store.read("other", "goal_a", "run_1", "report.md")).isPresent();
        }
    }
}
