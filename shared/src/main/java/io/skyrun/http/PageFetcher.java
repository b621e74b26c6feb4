package io.skyrun.http;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Fetches a web page as readable text for an agent tool, through the outbound guard and with hard size and time limits. */
public class PageFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);

    static final String USER_AGENT = "skyrun/0.1 (+agent tool)";
    static final String ACCEPT = "text/html, text/plain;q=0.9, application/json;q=0.8";

    private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");
    private static final Set<String> TEXT_TYPES = Set.of("text/plain", "application/json");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * A fetched page.
     *
     * @param finalUri    where the page was found after redirects
     * @param contentType the media type without parameters, e.g. {@code text/html}
     * @param title       the HTML title, or null when there is none or the page is not HTML
     * @param text        readable text of the page, cut at the byte limit
     * @param truncated   whether the body was longer than the byte limit
     */
    public record Page(URI finalUri, int status, String contentType, String title, String text, boolean truncated) {
    }

    private final OutboundClient client;
    private final Duration requestTimeout;
    private final int maxBytes;
    private final int maxRedirects;

    public PageFetcher(OutboundGuard guard, Duration connectTimeout, Duration requestTimeout, int maxBytes,
                       int maxRedirects) {
        this(new OutboundClient(guard, connectTimeout), requestTimeout, maxBytes, maxRedirects);
    }

    /** Fetches through the given client, which connects only to the addresses its guard checked. */
    public PageFetcher(OutboundClient client, Duration requestTimeout, int maxBytes, int maxRedirects) {
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        }
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
    }

    /**
     * Fetches the page, following up to {@code maxRedirects} redirects.
     *
     * @throws OutboundRefused if the URI or any redirect target is refused by the guard
     * @throws HttpTimeoutException if one request takes longer than the request timeout
     * @throws IOException on non-2xx status, unsupported content type, too many redirects or a transport failure
     */
    public Page fetch(URI uri) throws IOException {
        URI current = withoutFragment(Objects.requireNonNull(uri, "uri"));
        for (int redirects = 0; ; redirects++) {
            OutboundClient.Response response;
            try {
                // Redirects are followed here, one exchange per hop, so the guard checks every hop.
                response = client.exchange(OutboundClient.Request.get(current,
                                Map.of("User-Agent", USER_AGENT, "Accept", ACCEPT)), requestTimeout,
                        (status, headers) -> wanted(status, headers) ? maxBytes : 0);
            } catch (OutboundRefused e) {
                LOG.warn("page fetch refused: {}", e.getMessage());
                throw e;
            }
            int status = response.status();
            if (REDIRECTS.contains(status)) {
                String location = response.header("Location");
                if (location != null) {
                    if (redirects >= maxRedirects) {
                        throw new IOException("too many redirects: stopped after " + maxRedirects
                                + " redirects at " + current + " (started at " + uri + ")");
                    }
                    current = resolveRedirect(current, location);
                    continue;
                }
            }
            if (status < 200 || status > 299) {
                throw new IOException("HTTP " + status + " from " + current);
            }
            String header = response.headers().firstValue("Content-Type").orElse("");
            String mediaType = mediaType(header);
            if (!accepted(mediaType)) {
                throw new IOException("unsupported content type " + (mediaType.isEmpty() ? "(none)" : mediaType)
                        + " from " + current);
            }
            return toPage(current, status, mediaType, charsetName(header), response.body(), response.truncated());
        }
    }

    // Decides from the headers alone whether to read the body, so rejected responses cost no body bytes at all.
    private static boolean wanted(int status, java.net.http.HttpHeaders headers) {
        String mediaType = mediaType(headers.firstValue("Content-Type").orElse(""));
        return status >= 200 && status <= 299 && accepted(mediaType);
    }

    private Page toPage(URI uri, int status, String mediaType, String charset, byte[] bytes, boolean truncated)
            throws IOException {
        if (HTML_TYPES.contains(mediaType)) {
            // A null charset lets jsoup look for a BOM or <meta charset> before falling back to UTF-8.
            Document doc = Jsoup.parse(new ByteArrayInputStream(bytes), charset, uri.toString());
            doc.select("script, style, nav, noscript").remove();
            String title = doc.title().isBlank() ? null : doc.title().strip();
            return new Page(uri, status, mediaType, title, readableText(doc.body()), truncated);
        }
        String text = new String(bytes, charsetOrUtf8(charset));
        if (truncated && text.endsWith("\uFFFD")) {
            // The cut may split a multi-byte character; its replacement character is noise, not content.
            text = text.substring(0, text.length() - 1);
        }
        return new Page(uri, status, mediaType, null, text, truncated);
    }

    /** Text of the element with whitespace collapsed, keeping a line break between block elements. */
    static String readableText(Element root) {
        if (root == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    // Source line breaks are layout, not content, except inside <pre>.
                    String whole = text.getWholeText();
                    out.append(insidePre(text) ? whole : whole.replaceAll("[\\s\\u00a0]+", " "));
                } else if (node instanceof Element element && (element.isBlock() || element.nameIs("br"))) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && element.isBlock()) {
                    out.append('\n');
                }
            }
        }, root);
        StringBuilder collapsed = new StringBuilder();
        for (String line : out.toString().split("\n")) {
            String clean = line.replaceAll("[ \\t\\r\\f\\u00a0]+", " ").strip();
            if (!clean.isEmpty()) {
                if (collapsed.length() > 0) {
                    collapsed.append('\n');
                }
                collapsed.append(clean);
            }
        }
        return collapsed.toString();
    }

    private static boolean insidePre(Node node) {
        for (Node n = node.parentNode(); n != null; n = n.parentNode()) {
            if (n.nameIs("pre")) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepted(String mediaType) {
        return HTML_TYPES.contains(mediaType) || TEXT_TYPES.contains(mediaType);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return type.strip().toLowerCase(Locale.ROOT);
    }

    private static String charsetName(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).strip().replace("\"", "").replace("'", "");
                try {
                    if (!name.isEmpty() && Charset.isSupported(name)) {
                        return name;
                    }
                } catch (IllegalArgumentException e) {
                    // An illegal charset name falls through to the default, as browsers do.
                }
            }
        }
        return null;
    }

    private static Charset charsetOrUtf8(String name) {
        return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    }

    private static URI resolveRedirect(URI from, String location) throws IOException {
        try {
            return withoutFragment(from.resolve(new URI(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("bad redirect location from " + from + ": " + location, e);
        }
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
