package io.skyrun.agent;

import io.skyrun.agent.tools.ToolSpec;
import io.skyrun.runs.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deterministic stand-in for a language model, for demos and tests without a provider account.
 * It calls each offered tool it can build an input for, once, in the order offered, then answers
 * with a summary of what it observed. Reported as provider {@code offline}; the default when
 * {@code SKYRUN_MODEL_PROVIDER} is not set.
 */
public class OfflineModel implements AgentModel {
    public static final String MODEL = "offline-deterministic-v1";

    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>)]+");
    private static final int EXCERPT = 200;

    @Override
    public String provider() {
        return "offline";
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public AgentDecision decide(AgentContext context) {
        Set<String> used = context.history().stream()
                .map(Step::toolName)
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        for (ToolSpec tool : context.tools()) {
            if (used.contains(tool.name())) {
                continue;
            }
            Map<String, Object> input = inputFor(tool.name(), context);
            if (input != null) {
                String thought = "Step " + context.stepNo() + ": I will call " + tool.name() + " to "
                        + purpose(tool.name()) + " for the objective \"" + shorten(context.objective(), 80) + "\".";
                return AgentDecision.callTool(thought, tool.name(), input, Map.of("lastTool", tool.name()));
            }
        }
        String answer = summarize(context);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("summary", answer);
        memory.put("toolsUsed", new ArrayList<>(used.stream().sorted().toList()));
        return AgentDecision.answer("I have gathered what I can with the tools offered; writing the final answer.",
                answer, memory);
    }

    private static Map<String, Object> inputFor(String tool, AgentContext context) {
        switch (tool) {
            case "current_time" -> {
                Object zone = context.constraints() == null ? null : context.constraints().get("timezone");
                return Map.of("timezone", zone instanceof String z ? z : "UTC");
            }
            case "web_search" -> {
                return Map.of("query", shorten(context.objective(), 200));
            }
            case "web_scrape" -> {
                Matcher m = URL.matcher(context.objective());
                return m.find() ? Map.of("url", m.group()) : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String purpose(String tool) {
        return switch (tool) {
            case "current_time" -> "learn the current date and time";
            case "web_search" -> "search the web";
            case "web_scrape" -> "read the page named in the objective";
            default -> "gather information";
        };
    }

    private static String summarize(AgentContext context) {
        StringBuilder out = new StringBuilder("Objective: ").append(context.objective()).append('\n');
        List<Step> toolSteps = context.history().stream().filter(s -> s.toolName() != null).toList();
        if (toolSteps.isEmpty()) {
            out.append("No tools were used.");
        }
        for (Step step : toolSteps) {
            out.append("- ").append(step.toolName()).append(": ");
            if (step.error() != null) {
                out.append("failed (").append(shorten(step.error(), EXCERPT)).append(')');
            } else {
                out.append(shorten(step.observation() == null ? "" : step.observation(), EXCERPT));
            }
            out.append('\n');
        }
        return out.toString().strip();
    }

    private static String shorten(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
