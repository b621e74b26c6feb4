package io.skyrun.agent.tools;

import io.micronaut.context.ApplicationContext;
import io.skyrun.testing.ScriptedServer;
import io.skyrun.testing.ScriptedServer.Answer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tools as the application builds them from its configuration. */
class ToolsWiringTest {

    @Test
    void theRegistryKnowsEveryToolIncludingHttpRequest() {
        // GIVEN the default configuration
        try (ApplicationContext context = ApplicationContext.run(Map.of(), "test")) {
            // WHEN the registry is asked
            Tools tools = context.getBean(Tools.class);

            // THEN http_request is a known tool next to the others, so goals may allow it
            assertThat(tools.names()).containsExactly("current_time", "http_request", "memory_read", "memory_write", "web_scrape",
                    "web_search");
            assertThat(tools.known("http_request")).isTrue();
        }
    }

    @Test
    void byDefaultWebSearchAndHttpRequestExplainWhatToConfigure() {
        // GIVEN the default configuration
        try (ApplicationContext context = ApplicationContext.run(Map.of(), "test")) {
            Tools tools = context.getBean(Tools.class);

            // WHEN both are called
            // THEN each names its setting
            assertThatThrownBy(() -> tools.find("web_search").orElseThrow().call(Map.of("query", "x")))
                    .hasMessageContaining("no search backend is configured (set SKYRUN_SEARCH_PROVIDER");
            assertThatThrownBy(() -> tools.find("http_request").orElseThrow().call(Map.of("url", "http://a.example/")))
                    .hasMessageContaining("SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
        }
    }

    @Test
    void theSearchSettingsChooseTheBackend() throws Exception {
        // GIVEN skyrun.search.* pointing at a SearXNG on loopback (as SKYRUN_SEARCH_PROVIDER/URL do)
        try (ScriptedServer searxng = new ScriptedServer();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "skyrun.search.provider", "searxng",
                     "skyrun.search.url", searxng.url("")), "test")) {
            searxng.answering(Answer.json(200,
                    "{\"results\":[{\"url\":\"https://r.example/\",\"title\":\"R\",\"content\":\"S\"}]}"));

            // WHEN web_search is called
            String observation = context.getBean(Tools.class).find("web_search").orElseThrow()
                    .call(Map.of("query", "wired"));

            // THEN the configured instance answered
            assertThat(observation).isEqualTo("1. R\n   https://r.example/\n   S");
            assertThat(searxng.received()).hasSize(1);
        }
    }

    @Test
    void theAllowListSettingIsReadAsACommaSeparatedList() {
        // GIVEN skyrun.http-tool.allowed-hosts as SKYRUN_HTTP_TOOL_ALLOWED_HOSTS would set it
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "skyrun.http-tool.allowed-hosts", " api.example.com, *.example.org "), "test")) {
            // WHEN the configuration is read
            HttpToolConfig config = context.getBean(HttpToolConfig.class);

            // THEN both entries are there, trimmed
            assertThat(config.hosts()).containsExactly("api.example.com", "*.example.org");
        }
    }
}
