package io.skyrun.outputs;

import io.micronaut.context.annotation.Requires;
import io.skyrun.goals.Goal;
import io.skyrun.runs.RunStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Produces a goal's {@code params.outputs} when one of its runs ends, before the run is stored as ended:
 * {@code file} stores the final answer as a file of the run (completed runs), {@code email} sends the
 * result or the error. The outcome of each goes into the run's {@code workingMemory.outputs}. The summary is
 * the run's stored final answer and the webhook is sent by {@code RunWebhooks}, so both are only listed.
 */
@Singleton
@Requires(beans = Mailer.class)
public class RunOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(RunOutputs.class);

    private final FileStore files;
    private final Mailer mailer;
    private final OutputsConfig config;

    public RunOutputs(FileStore files, Mailer mailer, OutputsConfig config) {
        this.files = files;
        this.mailer = mailer;
        this.config = config;
    }

    /** The outcome of each requested output, or null when the goal asks for none. */
    public List<Map<String, Object>> produce(Goal goal, String runId, RunStatus status, String error, String answer) {
        if (!goal.params().hasOutputs()) {
            return null;
        }
        List<OutputSpec> wanted = goal.params().outputs();
        List<Map<String, Object>> results = new ArrayList<>();
        for (OutputSpec spec : wanted) {
            Map<String, Object> result = new LinkedHashMap<>(spec.asMap());
            try {
                switch (spec.kind()) {
                    case SUMMARY -> result.put("status", answer == null ? "skipped" : "stored");
                    case WEBHOOK -> result.put("status", goal.webhookUrl() == null ? "skipped" : "sent separately");
                    case FILE -> file(goal, runId, status, answer, spec, result);
                    case EMAIL -> email(goal, runId, status, error, answer, spec, result);
                    default -> throw new IllegalStateException("unknown output " + spec.kind());
                }
            } catch (Mailer.MailFailure | RuntimeException e) {
                LOG.warn("Output {} of run {} failed: {}", spec.kind().wire(), runId, e.getMessage());
                result.put("status", "failed");
                result.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            results.add(result);
        }
        return results;
    }

    private void file(Goal goal, String runId, RunStatus status, String answer, OutputSpec spec,
                      Map<String, Object> result) {
        if (status != RunStatus.COMPLETED || answer == null) {
            result.put("status", "skipped");
            result.put("reason", "the run has no final answer");
            return;
        }
        byte[] content = answer.getBytes(StandardCharsets.UTF_8);
        if (content.length > config.maxFileBytes()) {
            throw new IllegalStateException("the answer is larger than " + config.maxFileBytes() + " bytes");
        }
        files.put(goal.ownerId(), goal.id(), runId, spec.fileName(), FileNames.contentType(spec.fileName()), content);
        result.put("status", "stored");
        result.put("path", "/api/v1/runs/" + runId + "/files/" + spec.fileName());
        result.put("size", content.length);
    }

    private void email(Goal goal, String runId, RunStatus status, String error, String answer, OutputSpec spec,
                       Map<String, Object> result) throws Mailer.MailFailure {
        String objective = goal.objective().length() > 60 ? goal.objective().substring(0, 59) + "…" : goal.objective();
        String subject = "[skyrun] Run " + status.wire() + ": " + objective.replaceAll("\\s+", " ");
        String text = "Objective: " + goal.objective() + "\nRun: " + runId + " (" + status.wire() + ")\n\n"
                + (status == RunStatus.COMPLETED ? answer : "The run failed: " + error) + "\n";
        // checked again: the allow-list may have changed since the goal was created
        List<String> refused = spec.to().stream().filter(to -> !config.recipientAllowed(to)).toList();
        if (!refused.isEmpty()) {
            throw new IllegalStateException("not in SKYRUN_EMAIL_ALLOWED_RECIPIENTS: " + String.join(", ", refused));
        }
        mailer.send(new Email(config.emailFrom(), spec.to(), subject, text));
        result.put("status", "sent");
    }
}
