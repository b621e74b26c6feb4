package io.skyrun.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted language-model server on 127.0.0.1 speaking three wire formats: OpenAI chat completions
 * (any path ending in {@code /chat/completions}: OpenAI, OpenRouter and compatible servers), Ollama's
 * {@code /api/chat}, and Bedrock's Converse API ({@code /model/{id}/converse}). Each request takes the
 * next scripted reply; every request is recorded for the test to inspect.
 */
public final class FakeLlm implements AutoCloseable {
    /** One scripted reply. */
    public sealed interface Reply permits ToolCall, Answer, Failure {
    }

    /** The model calls a tool; {@code text} is its optional reasoning. */
    public record ToolCall(String text, String tool, String argumentsJson, int inputTokens, int outputTokens)
            implements Reply {
    }

    /** The model gives its final answer. */
    public record Answer(String text, int inputTokens, int outputTokens) implements Reply {
    }

    /** The server fails with this status and body, after an optional delay. */
    public record Failure(int status, String body, Duration delay) implements Reply {
    }

    /** One received request. */
    public record Request(String path, Map<String, List<String>> headers, JsonNode body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public static ToolCall toolCall(String text, String tool, String argumentsJson) {
        return new ToolCall(text, tool, argumentsJson, 50, 10);
    }

    public static Answer answer(String text) {
        return new Answer(text, 80, 20);
    }

    public static Failure failure(int status, String body) {
        return new Failure(status, body, Duration.ZERO);
    }

    private final HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private int calls;
    private volatile Runnable onRequest = () -> { };

    public FakeLlm() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeLlm then(Reply... replies) {
        synchronized (script) {
            script.addAll(List.of(replies));
        }
        return this;
    }

    /** Runs before each reply: a test advances its clock here to make the model "slow" without waiting. */
    public FakeLlm onRequest(Runnable action) {
        this.onRequest = action;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            JsonNode body = Api.JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
            Reply reply;
            synchronized (script) {
                calls++;
                reply = script.poll();
            }
            if (reply == null) {
                send(exchange, 500, "{\"error\":{\"message\":\"the fake model has no reply scripted for call " + calls
                        + "\"}}");
                return;
            }
            onRequest.run();
            if (reply instanceof Failure failure) {
                if (!failure.delay().isZero()) {
                    Thread.sleep(failure.delay().toMillis());
                }
                send(exchange, failure.status(), failure.body());
                return;
            }
            String model = body.path("model").asText("fake-model");
            JsonNode answer;
            if (path.endsWith("/chat/completions")) {
                answer = openAi(model, reply);
            } else if (path.equals("/api/chat")) {
                answer = ollama(model, reply);
            } else if (path.startsWith("/model/") && path.endsWith("/converse")) {
                answer = converse(reply);
            } else {
                send(exchange, 404, "{\"error\":{\"message\":\"unknown path " + path + "\"}}");
                return;
            }
            send(exchange, 200, Api.JSON.writeValueAsString(answer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode openAi(String model, Reply reply) throws IOException {
        ObjectNode out = Api.JSON.createObjectNode()
                .put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1_700_000_000L)
                .put("model", model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (reply instanceof ToolCall call) {
            if (call.text() == null) {
                message.putNull("content");
            } else {
                message.put("content", call.text());
            }
            ObjectNode tool = message.putArray("tool_calls").addObject().put("id", "call_fake").put("type", "function");
            tool.putObject("function").put("name", call.tool()).put("arguments", call.argumentsJson());
            choice.put("finish_reason", "tool_calls");
            usage(out.putObject("usage"), "prompt_tokens", "completion_tokens", call.inputTokens(), call.outputTokens());
        } else if (reply instanceof Answer answer) {
            message.put("content", answer.text());
            choice.put("finish_reason", "stop");
            usage(out.putObject("usage"), "prompt_tokens", "completion_tokens", answer.inputTokens(), answer.outputTokens());
        }
        return out;
    }

    private static JsonNode ollama(String model, Reply reply) throws IOException {
        ObjectNode out = Api.JSON.createObjectNode().put("model", model).put("created_at", "2026-11-23T10:00:00Z");
        ObjectNode message = out.putObject("message").put("role", "assistant");
        if (reply instanceof ToolCall call) {
            message.put("content", call.text() == null ? "" : call.text());
            ObjectNode tool = message.putArray("tool_calls").addObject();
            tool.putObject("function").put("name", call.tool()).set("arguments", Api.JSON.readTree(call.argumentsJson()));
            out.put("prompt_eval_count", call.inputTokens()).put("eval_count", call.outputTokens());
        } else if (reply instanceof Answer answer) {
            message.put("content", answer.text());
            out.put("prompt_eval_count", answer.inputTokens()).put("eval_count", answer.outputTokens());
        }
        return out.put("done", true).put("done_reason", "stop");
    }

    private static JsonNode converse(Reply reply) throws IOException {
        ObjectNode out = Api.JSON.createObjectNode();
        ObjectNode message = out.putObject("output").putObject("message").put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (reply instanceof ToolCall call) {
            if (call.text() != null) {
                content.addObject().put("text", call.text());
            }
            ObjectNode use = content.addObject().putObject("toolUse").put("toolUseId", "tooluse_fake")
                    .put("name", call.tool());
            use.set("input", Api.JSON.readTree(call.argumentsJson()));
            out.put("stopReason", "tool_use");
            usage(out.putObject("usage"), "inputTokens", "outputTokens", call.inputTokens(), call.outputTokens());
        } else if (reply instanceof Answer answer) {
            content.addObject().put("text", answer.text());
            out.put("stopReason", "end_turn");
            usage(out.putObject("usage"), "inputTokens", "outputTokens", answer.inputTokens(), answer.outputTokens());
        }
        out.putObject("metrics").put("latencyMs", 1);
        return out;
    }

    private static void usage(ObjectNode usage, String in, String out, int input, int output) {
        usage.put(in, input).put(out, output).put(out.startsWith("completion") ? "total_tokens" : "totalTokens",
                input + output);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
