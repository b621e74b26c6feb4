package io.skyrun.agent.tools;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.json.JsonMapper;
import io.skyrun.agent.tools.search.SearchBackends;
import io.skyrun.agent.tools.search.SearchConfig;
import io.skyrun.http.OutboundGuard;
import io.skyrun.testing.ScriptedServer;
import io.skyrun.testing.ScriptedServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Every backend is a ScriptedServer on 127.0.0.1; nothing leaves this machine.
class WebSearchToolTest {
    private static final String KEY = "sk-test-9f8e7d6c5b4a";
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private final ScriptedServer server = new ScriptedServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void searxngResultsComeBackAsANumberedListOfTitleUrlAndSnippet() throws Exception {
        // GIVEN a SearXNG instance with two hits
        server.answering(Answer.json(200, """
                {"query":"java records","results":[
                  {"url":"https://a.example/records","title":"Records in Java","content":"A record is a class..."},
                  {"url":"https://b.example/jep","title":"JEP 395","content":"Records finalized"}]}"""));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        String observation = tool.call(Map.of("query", "java records"));

        // THEN the instance was asked for JSON with the query, and the hits are listed in order
        assertThat(observation).isEqualTo("""
                1. Records in Java
                   https://a.example/records
                   A record is a class...
                2. JEP 395
                   https://b.example/jep
                   Records finalized""");
        ScriptedServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).startsWith("/search?q=");
        assertThat(decoded(request.uri())).isEqualTo("/search?q=java records&format=json");
    }

    @Test
    void braveSendsTheKeyInItsHeaderAndItsHtmlSnippetsBecomePlainText() throws Exception {
        // GIVEN Brave answering with HTML in titles and descriptions
        server.answering(Answer.json(200, """
                {"type":"search","web":{"results":[
                  {"title":"The <strong>Skyrun</strong> docs","url":"https://skyrun.example/docs",
                   "description":"Run <strong>agents</strong> &amp; goals"}]}}"""));
        WebSearchTool tool = tool("brave", server.url("/"), KEY);

        // WHEN the tool searches
        String observation = tool.call(Map.of("query", "skyrun docs", "max_results", 3));

        // THEN the documented endpoint, header and count were used, and the text is plain
        ScriptedServer.Received request = server.received().get(0);
        assertThat(decoded(request.uri())).isEqualTo("/res/v1/web/search?q=skyrun docs&count=3");
        assertThat(request.header("X-Subscription-Token")).isEqualTo(KEY);
        assertThat(observation).isEqualTo("""
                1. The Skyrun docs
                   https://skyrun.example/docs
                   Run agents & goals""");
    }

    @Test
    void braveWithoutAWebSectionMeansNoResults() throws Exception {
        // GIVEN Brave answering a search without a web section
        server.answering(Answer.json(200, "{\"type\":\"search\",\"query\":{\"original\":\"zzqx\"}}"));
        WebSearchTool tool = tool("brave", server.url(""), KEY);

        // WHEN the tool searches
        // THEN it says there were no results
        assertThat(tool.call(Map.of("query", "zzqx"))).isEqualTo("No results for \"zzqx\".");
    }

    @Test
    void tavilyPostsTheQueryAsJsonWithTheKey() throws Exception {
        // GIVEN Tavily with one hit
        server.answering(Answer.json(200, """
                {"query":"q","answer":null,"results":[{"title":"T","url":"https://t.example/","content":"C","score":0.9}],
                 "response_time":0.5}"""));
        WebSearchTool tool = tool("tavily", server.url(""), KEY);

        // WHEN the tool searches
        String observation = tool.call(Map.of("query", "what is tavily"));

        // THEN it POSTed JSON with query, max_results and the key, and listed the hit
        ScriptedServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/search");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        Map<String, Object> body = JSON.readValue(request.body(), io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        assertThat(body).containsEntry("query", "what is tavily").containsEntry("max_results", 5)
                .containsEntry("api_key", KEY);
        assertThat(observation).isEqualTo("1. T\n   https://t.example/\n   C");
    }

    @Test
    void noMoreThanMaxResultsAreListed() throws Exception {
        // GIVEN a backend returning 8 hits and a limit of 5
        StringBuilder hits = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            hits.append(i > 1 ? "," : "").append("{\"url\":\"https://e.example/").append(i)
                    .append("\",\"title\":\"hit ").append(i).append("\",\"content\":\"\"}");
        }
        server.answering(Answer.json(200, "{\"results\":[" + hits + "]}"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches asking for 50
        String observation = tool.call(Map.of("query", "many", "max_results", 50));

        // THEN five are listed
        assertThat(observation).contains("5. hit 5").doesNotContain("6. hit 6");
    }

    @Test
    void a429ThenSuccessIsRetriedAndSucceeds() throws Exception {
        // GIVEN a backend that is rate-limited once
        server.answering(Answer.json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "0"),
                Answer.json(200, "{\"results\":[{\"url\":\"https://ok.example/\",\"title\":\"ok\",\"content\":\"\"}]}"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        String observation = tool.call(Map.of("query", "retry"));

        // THEN the second attempt's result comes back
        assertThat(server.received()).hasSize(2);
        assertThat(observation).isEqualTo("1. ok\n   https://ok.example/");
    }

    @Test
    void persistent5xxFailsAfterTheConfiguredAttemptsNamingTheStatus() {
        // GIVEN a backend that always answers 503
        server.otherwise(Answer.json(503, "{\"error\":\"down\"}"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN it gives up after 3 attempts with the status in the message
        assertThatThrownBy(() -> tool.call(Map.of("query", "down")))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("searxng answered HTTP 503")
                .hasMessageContaining("after 3 attempts");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void aRejectedKeyIsNotRetriedAndIsNeverRepeatedEvenWhenTheServiceEchoesIt() {
        // GIVEN a backend that refuses the key and echoes it in its error body
        server.answering(Answer.json(401, "{\"error\":\"invalid token " + KEY + "\"}"));
        WebSearchTool tool = tool("brave", server.url(""), KEY);
        ListAppender<ILoggingEvent> logs = captureLogs();

        // WHEN the tool searches
        // THEN it fails once, points at the key setting, and the key appears in neither the message nor the logs
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("brave answered HTTP 401 (check SKYRUN_SEARCH_API_KEY)")
                .hasMessageContaining("[redacted]")
                .hasMessageNotContaining(KEY);
        assertThat(server.received()).hasSize(1);
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(KEY));
        stopCapture(logs);
    }

    @Test
    void retriedFailuresAreLoggedWithoutTheKey() {
        // GIVEN a backend whose 500 answers echo the key
        server.otherwise(Answer.json(500, "{\"error\":\"boom for " + KEY + "\"}"));
        WebSearchTool tool = tool("tavily", server.url(""), KEY);
        ListAppender<ILoggingEvent> logs = captureLogs();

        // WHEN the tool searches
        assertThatThrownBy(() -> tool.call(Map.of("query", "x"))).isInstanceOf(ToolFailure.class)
                .hasMessageNotContaining(KEY);

        // THEN every attempt was logged, none with the key
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("web_search attempt")).hasSize(3);
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(KEY));
        stopCapture(logs);
    }

    @Test
    void aBodyThatIsNotJsonGivesAClearError() {
        // GIVEN a backend answering HTML with status 200
        server.answering(Answer.of(200, "text/html", "<html>maintenance</html>"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN the error says what was wrong
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .isInstanceOf(ToolFailure.class)
                .hasMessage("searxng answered with a body that is not JSON");
    }

    @Test
    void jsonOfTheWrongShapeGivesAClearError() {
        // GIVEN a backend answering JSON without results
        server.answering(Answer.json(200, "{\"results\":\"none\"}"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN the error names the missing part
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .isInstanceOf(ToolFailure.class)
                .hasMessage("unexpected answer from searxng: no 'results' array");
    }

    @Test
    void searxngWithoutJsonEnabledGetsAHint() {
        // GIVEN a SearXNG that refuses format=json (its default)
        server.answering(Answer.of(403, "text/html", "Forbidden"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN the error says where to enable it
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .hasMessageContaining("HTTP 403 (is 'json' listed under search.formats");
    }

    @Test
    void anOversizedAnswerIsRejected() {
        // GIVEN a backend answering 2 MB
        server.answering(Answer.json(200, "{\"results\":[],\"pad\":\"" + "x".repeat(2_000_000) + "\"}"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN the answer is refused at the byte limit
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .hasMessage("searxng answered more than 1048576 bytes");
    }

    @Test
    void aSlowBackendTimesOut() {
        // GIVEN a backend answering after 3 s and a 300 ms timeout
        server.answering(Answer.json(200, "{\"results\":[]}").after(Duration.ofSeconds(3)));
        SearchConfig config = new SearchConfig("searxng", server.url(""), null, 5, Duration.ofMillis(300), 3,
                Duration.ofMillis(10), 1_048_576);
        WebSearchTool tool = new WebSearchTool(SearchBackends.create(config, new OutboundGuard(false),
                Duration.ofSeconds(2), JSON), config);

        // WHEN the tool searches
        long started = System.nanoTime();
        // THEN it fails with a timeout well before the answer would come, without trying again
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .hasMessage("searxng search timed out after PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aRedirectIsNotFollowed() {
        // GIVEN a backend that redirects
        server.answering(Answer.json(302, "").withHeader("Location", "http://169.254.169.254/"));
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN the tool searches
        // THEN it fails on the redirect without following it
        assertThatThrownBy(() -> tool.call(Map.of("query", "x"))).hasMessageContaining("HTTP 302");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void withoutAProviderEveryCallSaysHowToConfigureOne() {
        // GIVEN the default configuration
        WebSearchTool tool = tool("none", null, null);

        // WHEN the tool is called
        // THEN it fails naming the setting
        assertThatThrownBy(() -> tool.call(Map.of("query", "x")))
                .isInstanceOf(ToolFailure.class)
                .hasMessage("web_search is not available: no search backend is configured "
                        + "(set SKYRUN_SEARCH_PROVIDER to searxng, brave or tavily)");
    }

    @Test
    void braveOrTavilyWithoutAKeyAndSearxngWithoutAUrlSayWhatIsMissing() {
        // GIVEN incomplete configurations
        // WHEN each is called
        // THEN each names the missing setting, and nothing was sent
        assertThatThrownBy(() -> tool("brave", server.url(""), null).call(Map.of("query", "x")))
                .hasMessage("web_search is not available: SKYRUN_SEARCH_PROVIDER=brave needs SKYRUN_SEARCH_API_KEY");
        assertThatThrownBy(() -> tool("tavily", null, " ").call(Map.of("query", "x")))
                .hasMessage("web_search is not available: SKYRUN_SEARCH_PROVIDER=tavily needs SKYRUN_SEARCH_API_KEY");
        assertThatThrownBy(() -> tool("searxng", "", null).call(Map.of("query", "x")))
                .hasMessageContaining("SKYRUN_SEARCH_PROVIDER=searxng needs SKYRUN_SEARCH_URL");
        assertThatThrownBy(() -> tool("bing", null, null).call(Map.of("query", "x")))
                .hasMessageContaining("unknown SKYRUN_SEARCH_PROVIDER 'bing'");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void theConfiguredUrlMayBePrivateButTheDefaultPublicEndpointGoesThroughTheGuard() throws Exception {
        // GIVEN a guard that refuses private addresses and resolves every name to 127.0.0.1
        OutboundGuard guard = new OutboundGuard(false) {
            @Override
            protected InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
        };
        server.answering(Answer.json(200, "{\"results\":[]}"));
        SearchConfig local = config("searxng", server.url(""), null);
        SearchConfig publicDefault = config("brave", null, KEY);

        // WHEN a SearXNG configured on loopback and Brave on its default endpoint are asked
        String fromLocal = new WebSearchTool(SearchBackends.create(local, guard, Duration.ofSeconds(2), JSON), local)
                .call(Map.of("query", "x"));
        WebSearchTool brave = new WebSearchTool(SearchBackends.create(publicDefault, guard, Duration.ofSeconds(2),
                JSON), publicDefault);

        // THEN the operator's loopback SearXNG is reached, and the default endpoint resolving to loopback is refused
        assertThat(fromLocal).isEqualTo("No results for \"x\".");
        assertThatThrownBy(() -> brave.call(Map.of("query", "x")))
                .hasMessageContaining("brave search refused: refused to call api.search.brave.com")
                .hasMessageContaining("private address 127.0.0.1");
    }

    @Test
    void theConfigurationDoesNotPrintTheKey() {
        // GIVEN a configuration with a key
        // WHEN it is printed
        // THEN the key is not in it
        assertThat(config("brave", null, KEY).toString()).doesNotContain(KEY).contains("apiKey=(set)");
    }

    @Test
    void aMissingQueryIsAnError() {
        // GIVEN a configured tool
        WebSearchTool tool = tool("searxng", server.url(""), null);

        // WHEN it is called without a query
        // THEN it fails saying so, without asking the backend
        assertThatThrownBy(() -> tool.call(Map.of())).hasMessage("web_search needs a 'query' string");
        assertThat(server.received()).isEmpty();
    }

    private static SearchConfig config(String provider, String url, String key) {
        return new SearchConfig(provider, url, key, 5, Duration.ofSeconds(5), 3, Duration.ofMillis(10), 1_048_576);
    }

    // The guard refuses private addresses: a configured URL is exempt (see SearchBackends), so 127.0.0.1 works.
    private static WebSearchTool tool(String provider, String url, String key) {
        SearchConfig config = config(provider, url, key);
        return new WebSearchTool(SearchBackends.create(config, new OutboundGuard(false), Duration.ofSeconds(2), JSON),
                config);
    }

    private static String decoded(String uri) {
        return URLDecoder.decode(uri, StandardCharsets.UTF_8);
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        ((Logger) LoggerFactory.getLogger("io.skyrun")).setLevel(Level.TRACE);
        return appender;
    }

    private static void stopCapture(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        ((Logger) LoggerFactory.getLogger("io.skyrun")).setLevel(null);
    }
}
