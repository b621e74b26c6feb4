package io.skyrun.agent.tools;

import java.util.Map;

/**
 * What the model is told about a tool.
 *
 * @param inputSchema JSON schema of the tool's input object
 */
public record ToolSpec(String name, String description, Map<String, Object> inputSchema) {
}
