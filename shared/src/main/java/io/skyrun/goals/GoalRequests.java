package io.skyrun.goals;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.skyrun.agent.AgentConfig;
import io.skyrun.agent.tools.Tools;
import io.skyrun.errors.BadRequest;
import io.skyrun.outputs.FileNames;
import io.skyrun.outputs.OutputKind;
import io.skyrun.outputs.OutputSpec;
import io.skyrun.outputs.OutputsConfig;
import io.skyrun.schedule.CronExpression;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates goal request bodies by hand, so every problem answers 400 with a message that
 * names the field, and no input can reach the services half-checked. Unknown fields are ignored.
 */
@Singleton
public class GoalRequests {
    static final int OBJECTIVE_MIN = 10;
    static final int OBJECTIVE_MAX = 1000;
    static final int URL_MAX = 2048;
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final JsonMapper mapper;
    private final Tools tools;
    private final AgentConfig agent;
    private final OutputsConfig outputs;

    public GoalRequests(JsonMapper mapper, Tools tools, AgentConfig agent, OutputsConfig outputs) {
        this.outputs = outputs;
        this.mapper = mapper;
        this.tools = tools;
        this.agent = agent;
    }

    /** A validated create request. {@code schedule} is null when none was given. */
    public record CreateGoal(String objective, GoalParams params, String webhookUrl, ScheduleSpec schedule) {
    }

    /** A validated schedule: the cron expression and its IANA time zone. */
    public record ScheduleSpec(CronExpression cron, String timezone) {
    }

    /**
     * A validated partial update; a null field is left as it is. {@code webhookUrlSet} tells a
     * {@code "webhookUrl": null} (clear it) apart from an absent field.
     */
    public record GoalPatch(String objective, GoalParams params, boolean webhookUrlSet, String webhookUrl,
                            GoalStatus status) {
    }

    public CreateGoal create(String body) {
        JsonNode root = object(body);
        String objective = objective(root.get("objective"), true);
        GoalParams params = params(root.get("params"));
        String webhookUrl = webhookUrl(root.get("webhookUrl"));
        JsonNode schedule = root.get("schedule");
        ScheduleSpec spec = schedule == null || schedule.isNull() ? null : schedule(schedule);
        return new CreateGoal(objective, params == null ? GoalParams.EMPTY : params, webhookUrl, spec);
    }

    public GoalPatch patch(String body) {
        JsonNode root = object(body);
        String objective = objective(root.get("objective"), false);
        GoalParams params = params(root.get("params"));
        JsonNode url = root.get("webhookUrl");
        GoalStatus status = null;
        JsonNode statusNode = root.get("status");
        if (statusNode != null) {
            status = status(statusNode.isString() ? statusNode.getStringValue() : null, "status");
        }
        return new GoalPatch(objective, params, url != null, webhookUrl(url), status);
    }

    /** Reads a {@code ?status=} filter or body field; null stays null. */
    public static GoalStatus status(String value, String field) {
        if (value == null) {
            throw new BadRequest(field + " must be one of: " + GoalStatus.allowed());
        }
        return GoalStatus.parse(value)
                .orElseThrow(() -> new BadRequest(field + " must be one of: " + GoalStatus.allowed()));
    }

    /** The body of {@code PUT /goals/{id}/memory/{key}}: a memory type and the content. */
    public record MemoryWrite(String type, String content) {
    }

    public MemoryWrite memory(String body) {
        JsonNode root = object(body);
        JsonNode type = root.get("type");
        JsonNode content = root.get("content");
        if (type == null || !type.isString()) {
            throw new BadRequest("type is required: one of note, fact, artifact");
        }
        if (content == null || !content.isString()) {
            throw new BadRequest("content is required and must be a string");
        }
        return new MemoryWrite(type.getStringValue(), content.getStringValue());
    }

    private JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequest("Request body must be a JSON object");
        }
        JsonNode root;
        try {
            root = mapper.readValue(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new BadRequest("Request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("Request body must be a JSON object");
        }
        return root;
    }

    private static String objective(JsonNode node, boolean required) {
        if (node == null) {
            if (required) {
                throw new BadRequest("objective is required");
            }
            return null;
        }
        if (node.isNull() && required) {
            throw new BadRequest("objective is required");
        }
        if (!node.isString()) {
            throw new BadRequest("objective must be a string");
        }
        String value = node.getStringValue().strip();
        if (value.indexOf('\u0000') >= 0) {
            throw new BadRequest("objective must not contain NUL characters");
        }
        int length = value.codePointCount(0, value.length());
        if (length < OBJECTIVE_MIN || length > OBJECTIVE_MAX) {
            throw new BadRequest("objective must be between " + OBJECTIVE_MIN + " and " + OBJECTIVE_MAX + " characters");
        }
        return value;
    }

    private GoalParams params(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadRequest("params must be an object");
        }
        Integer stepBudget = stepBudget(node.get("stepBudget"));
        List<String> allowed = allowedTools(node.get("allowedTools"));
        Map<String, Object> constraints = constraints(node.get("constraints"));
        return new GoalParams(stepBudget, allowed, constraints, outputs(node.get("outputs")));
    }

    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");

    private List<OutputSpec> outputs(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String problem = "params.outputs must be an array of objects like {\"kind\":\"file\",\"name\":\"report.md\"}";
        if (!node.isArray() || node.size() > 10) {
            throw new BadRequest(node.isArray() ? "params.outputs may list at most 10 outputs" : problem);
        }
        List<OutputSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : node.values()) {
            String field = "params.outputs[" + i++ + "]";
            if (!item.isObject()) {
                throw new BadRequest(problem);
            }
            JsonNode kindNode = item.get("kind");
            OutputKind kind = kindNode == null || !kindNode.isString() ? null
                    : OutputKind.parse(kindNode.getStringValue()).orElse(null);
            if (kind == null) {
                throw new BadRequest(field + ".kind must be one of: " + OutputKind.allowed());
            }
            String name = null;
            List<String> to = null;
            switch (kind) {
                case FILE -> {
                    JsonNode n = item.get("name");
                    if (n != null && !n.isNull()) {
                        name = FileNames.check(n.isString() ? n.getStringValue() : null, field + ".name");
                    }
                }
                case EMAIL -> {
                    String transport = outputs.emailProblem();
                    if (transport != null) {
                        throw new BadRequest(field + ": " + transport);
                    }
                    to = recipients(item.get("to"), field + ".to");
                    for (String address : to) {
                        if (!outputs.recipientAllowed(address)) {
                            throw new BadRequest(field + ".to: " + address
                                    + " is not in SKYRUN_EMAIL_ALLOWED_RECIPIENTS");
                        }
                    }
                }
                default -> {
                }
            }
            out.add(new OutputSpec(kind, name, to));
        }
        return out;
    }

    private static List<String> recipients(JsonNode node, String field) {
        String problem = field + " must be an email address or an array of 1-10 addresses";
        List<JsonNode> items = new ArrayList<>();
        if (node != null && node.isString()) {
            items.add(node);
        } else if (node != null && node.isArray() && node.size() >= 1 && node.size() <= 10) {
            node.values().forEach(items::add);
        } else {
            throw new BadRequest(problem);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isString() || !EMAIL.matcher(item.getStringValue()).matches()) {
                throw new BadRequest(problem);
            }
            out.add(item.getStringValue());
        }
        return out;
    }

    private Integer stepBudget(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String problem = "params.stepBudget must be a positive integer";
        if (!node.isNumber()) {
            throw new BadRequest(problem);
        }
        double value = node.getNumberValue().doubleValue();
        if (value != Math.rint(value) || value < 1) {
            throw new BadRequest(problem);
        }
        if (value > agent.maxStepBudget()) {
            throw new BadRequest("params.stepBudget must be at most " + agent.maxStepBudget());
        }
        return (int) value;
    }

    private List<String> allowedTools(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String problem = "params.allowedTools must be an array of tool names (known: " + String.join(", ", tools.names()) + ")";
        if (!node.isArray()) {
            throw new BadRequest(problem);
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode item : node.values()) {
            if (!item.isString()) {
                throw new BadRequest(problem);
            }
            String name = item.getStringValue();
            if (!tools.known(name)) {
                throw new BadRequest("params.allowedTools contains unknown tool '" + name + "' (known: "
                        + String.join(", ", tools.names()) + ")");
            }
            names.add(name);
        }
        return new ArrayList<>(names);
    }

    private Map<String, Object> constraints(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadRequest("params.constraints must be an object");
        }
        try {
            Map<String, Object> map = mapper.readValueFromTree(node, Argument.mapOf(String.class, Object.class));
            return new LinkedHashMap<>(map);
        } catch (IOException e) {
            throw new BadRequest("params.constraints must be an object");
        }
    }

    private static String webhookUrl(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String problem = "webhookUrl must be a valid http(s) URL";
        if (!node.isString()) {
            throw new BadRequest(problem);
        }
        String value = node.getStringValue().strip();
        if (value.length() > URL_MAX) {
            throw new BadRequest("webhookUrl must be at most " + URL_MAX + " characters");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
                throw new BadRequest(problem);
            }
        } catch (URISyntaxException e) {
            throw new BadRequest(problem);
        }
        return value;
    }

    private static ScheduleSpec schedule(JsonNode node) {
        if (!node.isObject()) {
            throw new BadRequest("schedule must be an object");
        }
        JsonNode cronNode = node.get("cronExpr");
        if (cronNode == null || cronNode.isNull()) {
            throw new BadRequest("schedule.cronExpr is required");
        }
        if (!cronNode.isString()) {
            throw new BadRequest("schedule.cronExpr must be a string");
        }
        CronExpression cron;
        try {
            cron = CronExpression.parse(cronNode.getStringValue());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("schedule.cronExpr is not a valid 5-field cron expression: " + e.getMessage());
        }
        if (cron.neverFires()) {
            throw new BadRequest("schedule.cronExpr never matches a date: " + cron.expression());
        }
        JsonNode zoneNode = node.get("timezone");
        String zone = "UTC";
        if (zoneNode != null && !zoneNode.isNull()) {
            if (!zoneNode.isString() || !ZONES.contains(zoneNode.getStringValue())) {
                throw new BadRequest("schedule.timezone must be a valid IANA time zone such as Europe/Berlin");
            }
            zone = zoneNode.getStringValue();
        }
        return new ScheduleSpec(cron, zone);
    }
}
