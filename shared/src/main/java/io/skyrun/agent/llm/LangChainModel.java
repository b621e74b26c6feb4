package io.skyrun.agent.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.skyrun.agent.AgentContext;
import io.skyrun.agent.AgentDecision;
import io.skyrun.agent.AgentModel;
import io.skyrun.agent.ModelBusy;
import io.skyrun.agent.Usage;
import io.skyrun.agent.tools.ToolSpec;
import io.skyrun.json.JsonCodec;
import io.skyrun.memory.MemoryTools;
import io.skyrun.runs.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's model on a LangChain4j chat model with native tool calling: each step sends the objective,
 * the constraints, the working memory and the run's earlier steps (as tool calls and their results) with
 * the allowed tools, and the answer is either one tool call or the final answer. Rate limits, server
 * errors and timeouts are retried with exponential backoff; other failures end the step at once.
 */
public class LangChainModel implements AgentModel {
    private static final Logger LOG = LoggerFactory.getLogger(LangChainModel.class);
    private static final int MAX_ERROR = 500;

    /** Waits between retries; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ChatModel chat;
    private final String provider;
    private final String model;
    private final int maxRetries;
    private final Duration backoff;
    private final String secret;
    private final JsonCodec json;
    private final Sleeper sleeper;
    private final Duration callTimeout;
    private final Clock clock;

    public LangChainModel(ChatModel chat, String provider, String model, int maxRetries, Duration backoff,
                          Duration callTimeout, String secret, JsonCodec json, Sleeper sleeper, Clock clock) {
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.chat = chat;
        this.provider = provider;
        this.model = model;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.json = json;
        this.sleeper = sleeper;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public AgentDecision decide(AgentContext context) {
        ChatRequest.Builder request = ChatRequest.builder().messages(messages(context));
        if (!context.tools().isEmpty()) {
            request.toolSpecifications(context.tools().stream().map(LangChainModel::specification).toList());
        }
        ChatResponse response = call(request.build(), context.deadline());
        AiMessage ai = response.aiMessage();
        Usage usage = usage(response.tokenUsage());
        String text = ai == null || ai.text() == null ? "" : ai.text().strip();
        if (ai != null && ai.hasToolExecutionRequests()) {
            // one tool per step: a step records one call and its observation
            ToolExecutionRequest call = ai.toolExecutionRequests().get(0);
            String thought = text.isEmpty() ? "Calling " + call.name() + "." : text;
            return AgentDecision.callTool(thought, call.name(), arguments(call.arguments()), null).withUsage(usage);
        }
        if (text.isEmpty()) {
            throw new ModelFailure("the model answered with neither a tool call nor text", null);
        }
        return AgentDecision.answer("Final answer.", text, Map.of("summary", text)).withUsage(usage);
    }

    List<ChatMessage> messages(AgentContext context) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt(context)));
        messages.add(UserMessage.from("Objective: " + context.objective()));
        for (Step step : context.history()) {
            if (step.toolName() == null) {
                continue;
            }
            String id = "call_" + step.stepNo();
            ToolExecutionRequest call = ToolExecutionRequest.builder()
                    .id(id)
                    .name(step.toolName())
                    .arguments(json.write(step.toolInput() == null ? Map.of() : step.toolInput()))
                    .build();
            messages.add(AiMessage.builder().text(blankToNull(step.thought())).toolExecutionRequests(List.of(call)).build());
            String result = step.observation() == null ? (step.error() == null ? "" : "Error: " + step.error())
                    : step.observation();
            messages.add(ToolExecutionResultMessage.from(id, step.toolName(), result));
        }
        return messages;
    }

    private String systemPrompt(AgentContext context) {
        StringBuilder prompt = new StringBuilder()
                .append("You are skyrun, an autonomous agent working toward the user's objective.\n")
                .append("Work in steps. In each step either call exactly one of the offered tools, or, when you can, ")
                .append("reply with the final answer as plain text and no tool call.\n")
                .append("A tool error is an observation: adjust and try another way.\n")
                .append("This is step ").append(context.stepNo()).append(" of at most ").append(context.stepBudget())
                .append(".");
        if (context.stepNo() >= context.stepBudget()) {
            prompt.append(" It is the last step: give your final answer now.");
        }
        if (context.tools().isEmpty()) {
            prompt.append("\nNo tools are available for this objective: answer from what you know.");
        }
        if (context.constraints() != null && !context.constraints().isEmpty()) {
            prompt.append("\nConstraints set by the user (JSON): ").append(json.write(context.constraints()));
        }
        if (context.goalMemory() != null && !context.goalMemory().isEmpty()) {
            prompt.append("\nMemory of this goal, kept by earlier runs (read in full with memory_read, add with ")
                    .append("memory_write when offered):\n").append(MemoryTools.summary(context.goalMemory(), 4_000));
        }
        if (context.workingMemory() != null && !context.workingMemory().isEmpty()) {
            prompt.append("\nWorking memory of this run (JSON): ").append(json.write(context.workingMemory()));
        }
        return prompt.toString();
    }

    private ChatResponse call(ChatRequest request, Instant deadline) {
        for (int attempt = 0; ; attempt++) {
            try {
                return chat.chat(request);
            } catch (RuntimeException e) {
                if (!retriable(e) || attempt >= maxRetries) {
                    throw new ModelFailure(describe(e, attempt + 1), e);
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(attempt, 10));
                if (deadline != null && clock.instant().plus(wait).plus(callTimeout).isAfter(deadline)) {
                    // another attempt might not end before the invocation's deadline: continue in the next one
                    throw new ModelBusy(describe(e, attempt + 1), e);
                }
                LOG.info("Model call to {} failed ({}); retry {} of {} in {} ms", provider, e.getClass().getSimpleName(),
                        attempt + 1, maxRetries, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ModelFailure("interrupted while waiting to retry the model call", interrupted);
                }
            }
        }
    }

    static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
            if (t instanceof HttpException http && (http.statusCode() == 429 || http.statusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    private String describe(RuntimeException e, int attempts) {
        String what = e instanceof RateLimitException ? "rate limited by " + provider
                : provider + " call failed (" + e.getClass().getSimpleName() + ")";
        String detail = e.getMessage() == null ? "" : ": " + e.getMessage().strip();
        String text = what + (attempts > 1 ? " after " + attempts + " attempts" : "") + detail;
        if (secret != null) {
            text = text.replace(secret, "***");
        }
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }

    private Map<String, Object> arguments(String text) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> parsed = json.readMap(text);
            return parsed == null ? new LinkedHashMap<>() : parsed;
        } catch (RuntimeException e) {
            // the tool sees no usable input and says so; the model reads that and can correct itself
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("invalidArguments", text.length() > 2000 ? text.substring(0, 2000) : text);
            return raw;
        }
    }

    private static ToolSpecification specification(ToolSpec tool) {
        JsonSchemaElement schema = JsonSchemaElementJsonUtils.fromMap(tool.inputSchema());
        ToolSpecification.Builder spec = ToolSpecification.builder().name(tool.name()).description(tool.description());
        if (schema instanceof JsonObjectSchema object) {
            spec.parameters(object);
        }
        return spec.build();
    }

    private static Usage usage(TokenUsage usage) {
        if (usage == null || (usage.inputTokenCount() == null && usage.outputTokenCount() == null)) {
            return null;
        }
        return new Usage(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
