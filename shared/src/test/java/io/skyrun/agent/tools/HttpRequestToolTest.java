package io.skyrun.agent.tools;

import io.micronaut.json.JsonMapper;
import io.skyrun.http.OutboundClient;
import io.skyrun.http.OutboundGuard;
import io.skyrun.testing.RebindingDns;
import io.skyrun.testing.ScriptedServer;
import io.skyrun.testing.ScriptedServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Every server is on 127.0.0.1 (RebindingDns also 127.0.0.2); nothing leaves this machine.
class HttpRequestToolTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private final ScriptedServer server = new ScriptedServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withAnEmptyAllowListEveryCallIsRefused() {
        // GIVEN no allowed host
        HttpRequestTool tool = tool("", loopbackOnly());

        // WHEN a call is made
        // THEN it is refused naming the setting, and nothing is sent
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"))))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("no host is allowed")
                .hasMessageContaining("SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aGetToAnAllowedHostReturnsStatusContentTypeAndBody() throws Exception {
        // GIVEN an allowed API answering JSON
        server.answering(Answer.json(200, "{\"temperature\":21}"));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called with a header
        String observation = tool.call(Map.of("url", server.url("/weather?city=Berlin"),
                "headers", Map.of("X-Api-Version", "2")));

        // THEN the observation carries status, type and body, and the API saw the request as given
        assertThat(observation).isEqualTo("HTTP 200\nContent-Type: application/json\n\n{\"temperature\":21}");
        ScriptedServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/weather?city=Berlin");
        assertThat(request.header("X-Api-Version")).isEqualTo("2");
    }

    @Test
    void aPostSendsTheBodyAsJson() throws Exception {
        // GIVEN an allowed API
        server.answering(Answer.json(201, "{\"id\":7}"));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN a JSON body is POSTed
        String observation = tool.call(Map.of("method", "post", "url", server.url("/items"),
                "body", Map.of("name", "x", "tags", List.of("a", "b"))));

        // THEN it arrives as JSON and the answer's status is reported, not treated as an error
        ScriptedServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readValue(request.body(), Map.class)).isEqualTo(Map.of("name", "x", "tags", List.of("a", "b")));
        assertThat(observation).startsWith("HTTP 201\n");
    }

    @Test
    void anErrorStatusIsAnObservationTheAgentCanReadNotAFailure() throws Exception {
        // GIVEN an allowed API answering 404
        server.answering(Answer.json(404, "{\"error\":\"no such item\"}"));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called
        // THEN the 404 and its body come back as the observation
        assertThat(tool.call(Map.of("url", server.url("/items/9"))))
                .isEqualTo("HTTP 404\nContent-Type: application/json\n\n{\"error\":\"no such item\"}");
    }

    @Test
    void aHostOutsideTheListIsRefusedWithoutARequest() {
        // GIVEN a list that does not name the server's host
        HttpRequestTool tool = tool("api.example.com, *.example.org", loopbackOnly());

        // WHEN it is called
        // THEN it is refused before anything is sent
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"))))
                .hasMessage("host '127.0.0.1' is not in SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void wildcardEntriesAllowSubdomainsOnly() {
        // GIVEN a wildcard entry
        HttpToolConfig config = config("*.example.org,api.example.com.");

        // WHEN hosts are matched
        // THEN subdomains and the exact name pass, look-alikes do not
        assertThat(config.allows("api.example.org")).isTrue();
        assertThat(config.allows("a.b.example.org")).isTrue();
        assertThat(config.allows("API.EXAMPLE.COM")).isTrue();
        assertThat(config.allows("evilexample.org")).isFalse();
        assertThat(config.allows("example.org")).isFalse();
        assertThat(config.allows("api.example.com.evil.net")).isFalse();
    }

    @Test
    void aRedirectToAHostOutsideTheListIsNotFollowed() {
        // GIVEN an allowed host that redirects to another host
        server.answering(Answer.json(302, "").withHeader("Location", "http://localhost:" + server.port() + "/inside"));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called
        // THEN the redirect is refused and only the first request was made
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/start"))))
                .hasMessage("redirect refused: host 'localhost' is not in SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
        assertThat(server.received()).extracting(ScriptedServer.Received::uri).containsExactly("/start");
    }

    @Test
    void aRedirectToAListedButPrivateAddressIsRefusedByTheGuard() {
        // GIVEN the metadata address on the list (a careless operator) and a redirect to it
        server.answering(Answer.json(302, "").withHeader("Location", "http://169.254.169.254/latest/meta-data/"));
        HttpRequestTool tool = tool("127.0.0.1,169.254.169.254", loopbackOnly());

        // WHEN it is called
        // THEN the guard still refuses the hop
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/start"))))
                .hasMessageContaining("refused to call 169.254.169.254: private address");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aRedirectWithinTheListIsFollowedAndA303TurnsThePostIntoAGet() throws Exception {
        // GIVEN an allowed API that answers a POST with 303 to a result page
        server.answering(Answer.json(303, "").withHeader("Location", "/result/1"), Answer.json(200, "{\"done\":true}"));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN a POST is made
        String observation = tool.call(Map.of("method", "POST", "url", server.url("/jobs"), "body", Map.of("n", 1)));

        // THEN the result page was fetched with GET
        assertThat(server.received()).extracting(r -> r.method() + " " + r.uri())
                .containsExactly("POST /jobs", "GET /result/1");
        assertThat(observation).endsWith("{\"done\":true}");
    }

    @Test
    void aListedLoopbackHostIsStillRefusedWhilePrivateAddressesAreNotAllowed() {
        // GIVEN the default guard, which refuses private addresses, and loopback on the list
        HttpRequestTool tool = tool("127.0.0.1", new OutboundGuard(false));

        // WHEN loopback is called
        // THEN the guard refuses it and nothing is sent
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"))))
                .hasMessageContaining("SKYRUN_OUTBOUND_ALLOW_PRIVATE=true");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void withPrivateAddressesAllowedAListedLoopbackHostIsReached() throws Exception {
        // GIVEN SKYRUN_OUTBOUND_ALLOW_PRIVATE=true
        server.answering(Answer.of(200, "text/plain; charset=utf-8", "hello"));
        HttpRequestTool tool = tool("127.0.0.1", new OutboundGuard(true));

        // WHEN loopback is called
        // THEN it answers
        assertThat(tool.call(Map.of("url", server.url("/x")))).endsWith("\n\nhello");
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckDoesNotReachTheLoopbackServer() throws Exception {
        // GIVEN a listed name that resolves to a "public" address first and to 127.0.0.1 afterwards
        try (RebindingDns dns = new RebindingDns("application/json", "{\"from\":\"public\"}")) {
            HttpRequestTool tool = tool("localhost", dns.guard());

            // WHEN it is called
            String observation = tool.call(Map.of("url", dns.url("localhost", "/api")));

            // THEN the checked address answered and the internal server saw nothing
            assertThat(observation).endsWith("{\"from\":\"public\"}");
            assertThat(dns.internalHits()).isEmpty();
        }
    }

    @Test
    void anOversizedBodyIsCutAndMarked() throws Exception {
        // GIVEN an API answering a megabyte of text
        server.answering(Answer.of(200, "text/plain", "y".repeat(1_000_000)));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called
        String observation = tool.call(Map.of("url", server.url("/big")));

        // THEN the observation stays small and says it was cut
        assertThat(observation).hasSizeLessThan(HttpRequestTool.MAX_OBSERVATION_CHARS + 100).endsWith("[truncated]");
    }

    @Test
    void aSlowAnswerTimesOut() {
        // GIVEN an API answering after 3 s and a 300 ms limit
        server.answering(Answer.json(200, "{}").after(Duration.ofSeconds(3)));
        HttpRequestTool tool = new HttpRequestTool(new OutboundClient(loopbackOnly(), Duration.ofSeconds(2)),
                new HttpToolConfig("127.0.0.1", Duration.ofMillis(300), 262_144, 65_536, 3), JSON);

        // WHEN it is called
        long started = System.nanoTime();
        // THEN it fails with a timeout long before the answer
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/slow"))))
                .hasMessage("http_request timed out after PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void binaryContentIsDescribedNotDumped() throws Exception {
        // GIVEN an API answering an image
        server.answering(Answer.of(200, "image/png", "\u0089PNG...."));
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called
        // THEN the observation gives the size only
        assertThat(tool.call(Map.of("url", server.url("/logo.png")))).endsWith("bytes of binary content not shown)");
    }

    @Test
    void invalidInputsAreRefusedWithoutARequest() {
        // GIVEN a configured tool
        HttpRequestTool tool = tool("127.0.0.1", loopbackOnly());

        // WHEN it is called with bad methods, URLs, headers or bodies
        // THEN each is refused with a reason, and nothing is sent
        assertThatThrownBy(() -> tool.call(Map.of("method", "DELETE", "url", server.url("/x"))))
                .hasMessageContaining("GET and POST");
        assertThatThrownBy(() -> tool.call(Map.of("url", "file:///etc/passwd"))).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> tool.call(Map.of())).hasMessage("http_request needs a 'url' string");
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"), "headers", Map.of("Host", "evil"))))
                .hasMessage("http_request may not set the 'Host' header");
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"), "headers", Map.of("X-A", "1\r\nX-B: 2"))))
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> tool.call(Map.of("url", server.url("/x"), "body", Map.of("a", 1))))
                .hasMessage("http_request sends a body only with POST");
        assertThat(server.received()).isEmpty();
    }

    // Refuses private addresses like the default guard, but lets this test's 127.0.0.1 server through.
    private static OutboundGuard loopbackOnly() {
        return new OutboundGuard(false) {
            @Override
            protected boolean permitted(InetAddress address) {
                return address.getHostAddress().equals("127.0.0.1") || super.permitted(address);
            }
        };
    }

    private static HttpToolConfig config(String hosts) {
        return new HttpToolConfig(hosts, Duration.ofSeconds(5), 262_144, 65_536, 3);
    }

    private static HttpRequestTool tool(String hosts, OutboundGuard guard) {
        return new HttpRequestTool(new OutboundClient(guard, Duration.ofSeconds(2)), config(hosts), JSON);
    }
}
