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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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

    private final OutboundGuard guard;
    private final Duration requestTimeout;
    private final int maxBytes;
    private final int maxRedirects;
    private final HttpClient client;

    public PageFetcher(OutboundGuard guard, Duration connectTimeout, Duration requestTimeout, int maxBytes,
                       int maxRedirects) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        }
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
        // Redirects are followed by hand so that every hop goes through the guard again.
        this.client = HttpClient.newBuilder()
                .connectTimeout(positive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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
            try {
                guard.check(current);
            } catch (OutboundRefused e) {
                LOG.warn("page fetch refused: {}", e.getMessage());
                throw e;
            }
            HttpResponse<Body> response = exchange(current);
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                String location = response.headers().firstValue("Location").orElse(null);
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
            Body body = response.body();
            return toPage(current, status, mediaType, charsetName(header), body);
        }
    }

    private HttpResponse<Body> exchange(URI uri) throws IOException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(requestTimeout)
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", ACCEPT)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot request " + uri + ": " + e.getMessage(), e);
        }
        AtomicReference<CappedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<Body>> future = client.sendAsync(request, info -> {
            CappedBody subscriber = bodyFor(info);
            body.set(subscriber);
            return subscriber;
        });
        // The request timeout alone stops at the response headers; this bounds the body as well.
        try {
            return future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(future, body.get());
            throw new HttpTimeoutException("request to " + uri + " timed out after " + requestTimeout);
        } catch (InterruptedException e) {
            abandon(future, body.get());
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("fetching " + uri + " failed: " + cause, cause);
        }
    }

    // Cancelling the body stream as well as the future makes sure a stalled connection is closed, not left open.
    private static void abandon(CompletableFuture<?> future, CappedBody body) {
        future.cancel(true);
        if (body != null) {
            body.cancel();
        }
    }

    // Decides from the headers alone how much body to read, so rejected responses cost no body bytes at all.
    private CappedBody bodyFor(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        String mediaType = mediaType(info.headers().firstValue("Content-Type").orElse(""));
        boolean wanted = status >= 200 && status <= 299 && accepted(mediaType);
        return new CappedBody(wanted ? maxBytes : 0);
    }

    private Page toPage(URI uri, int status, String mediaType, String charset, Body body) throws IOException {
        if (HTML_TYPES.contains(mediaType)) {
            // A null charset lets jsoup look for a BOM or <meta charset> before falling back to UTF-8.
            Document doc = Jsoup.parse(new ByteArrayInputStream(body.bytes()), charset, uri.toString());
            doc.select("script, style, nav, noscript").remove();
            String title = doc.title().isBlank() ? null : doc.title().strip();
            return new Page(uri, status, mediaType, title, readableText(doc.body()), body.truncated());
        }
        String text = new String(body.bytes(), charsetOrUtf8(charset));
        if (body.truncated() && text.endsWith("\uFFFD")) {
            // The cut may split a multi-byte character; its replacement character is noise, not content.
            text = text.substring(0, text.length() - 1);
        }
        return new Page(uri, status, mediaType, null, text, body.truncated());
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

    private record Body(byte[] bytes, boolean truncated) {
    }

    /** Keeps at most {@code limit} bytes of a body and cancels the stream beyond that, so memory stays bounded. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<Body> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (limit == 0) {
                s.cancel();
                result.complete(new Body(new byte[0], false));
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : items) {
                int room = limit - bytes.size();
                int take = Math.min(room, buffer.remaining());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (buffer.hasRemaining()) {
                    subscription.cancel();
                    result.complete(new Body(bytes.toByteArray(), true));
                    return;
                }
            }
            subscription.request(1);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.cancel(false);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(bytes.toByteArray(), false));
        }
    }
}
