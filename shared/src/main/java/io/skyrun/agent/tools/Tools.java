package io.skyrun.agent.tools;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of tools a goal may allow, by name. */
@Singleton
public class Tools {
    private final Map<String, Tool> byName = new LinkedHashMap<>();

    public Tools(List<Tool> tools) {
        tools.stream()
                .sorted(java.util.Comparator.comparing(Tool::name))
                .forEach(t -> byName.put(t.name(), t));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public boolean known(String name) {
        return byName.containsKey(name);
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tools a goal offers the model: the allowed list in its order, or every tool when the goal sets none. */
    public List<Tool> allowed(List<String> allowedTools) {
        if (allowedTools == null) {
            return new ArrayList<>(byName.values());
        }
        return allowedTools.stream().map(byName::get).filter(java.util.Objects::nonNull).toList();
    }
}
