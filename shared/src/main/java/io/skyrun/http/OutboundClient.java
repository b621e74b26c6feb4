package io.skyrun.http;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes one HTTP/1.1 exchange with exactly the addresses the {@link OutboundGuard} checked.
 *
 * <p>The JDK {@code HttpClient} resolves the host name again when it connects, so a DNS server that
 * answers a public address to the guard and a private one a moment later (DNS rebinding) would get
 * past the check. Here the name is resolved once, by the guard, and the socket is opened to one of
 * those checked addresses. For https the TLS handshake still uses the host name, for SNI and for
 * certificate hostname verification, so pinning the address weakens nothing.
 *
 * <p>Every exchange opens its own connection ({@code Connection: close}); redirects are never followed
 * here, callers that follow them call again, and the guard checks every hop. One deadline covers
 * connecting, the handshake, sending and the whole response body. System proxy settings are ignored.
 */
public class OutboundClient {
    /** Headers a caller may not set: the client writes them itself from the request. */
    public static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-connection");

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    // One daemon thread closes sockets whose deadline passed: a blocked connect, handshake, write or read
    // then fails at once instead of waiting for the peer.
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skyrun-outbound-deadline");
        t.setDaemon(true);
        return t;
    });

    /**
     * One request.
     *
     * @param headers header names and values in the order to send; none of {@link #RESERVED_HEADERS}
     * @param body    bytes to send, or null for none
     */
    public record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
        }

        public static Request get(URI uri, Map<String, String> headers) {
            return new Request("GET", uri, headers, null);
        }
    }

    /**
     * One response.
     *
     * @param body      at most the byte limit of the body
     * @param truncated whether the body was longer than the limit (the rest was not read)
     */
    public record Response(URI uri, int status, HttpHeaders headers, byte[] body, boolean truncated) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** Decides from the status and headers how many body bytes to read; 0 reads none. */
    @FunctionalInterface
    public interface BodyLimit {
        int bytesFor(int status, HttpHeaders headers);

        static BodyLimit of(int bytes) {
            return (status, headers) -> bytes;
        }
    }

    private final OutboundGuard guard;
    private final Duration connectTimeout;
    // the JDK's default context loads the trust store: done on the first https call, not at start
    private final Supplier<SSLContext> sslContext;

    public OutboundClient(OutboundGuard guard, Duration connectTimeout) {
        this(guard, connectTimeout, OutboundClient::defaultSslContext);
    }

    /** With the given TLS context; tests pass one that trusts their own certificate. */
    public OutboundClient(OutboundGuard guard, Duration connectTimeout, SSLContext sslContext) {
        this(guard, connectTimeout, supplied(Objects.requireNonNull(sslContext, "sslContext")));
    }

    private static Supplier<SSLContext> supplied(SSLContext context) {
        return () -> context;
    }

    private OutboundClient(OutboundGuard guard, Duration connectTimeout, Supplier<SSLContext> sslContext) {
        this.guard = Objects.requireNonNull(guard, "guard");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        this.connectTimeout = connectTimeout;
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    }

    public OutboundGuard guard() {
        return guard;
    }

    /**
     * Checks the URL with the guard, connects to a checked address and makes the exchange.
     *
     * @param timeout whole exchange: connect, TLS, request and the response body
     * @throws OutboundRefused      if the guard refuses the URL or any address it resolves to
     * @throws HttpTimeoutException if the deadline passes
     * @throws IOException          on a malformed request or response or a transport failure
     */
    public Response exchange(Request request, Duration timeout, BodyLimit limit) throws IOException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(limit, "limit");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        URI uri = request.uri();
        List<InetAddress> addresses = guard.check(uri);
        String method;
        byte[] head;
        try {
            method = checkedMethod(request.method());
            head = head(method, uri, request.headers(), request.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot request " + redacted(uri) + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;

        Socket socket = connect(addresses, port, deadline, uri, timeout);
        AtomicBoolean expired = new AtomicBoolean();
        Socket closeOnDeadline = socket;
        ScheduledFuture<?> watchdog = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(closeOnDeadline);
        }, remaining(deadline), TimeUnit.NANOSECONDS);
        try {
            if (https) {
                socket = tls(socket, hostName(uri), port);
            }
            OutputStream out = socket.getOutputStream();
            out.write(head);
            if (request.body() != null) {
                out.write(request.body());
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return read(in, socket, deadline, uri, method, limit);
        } catch (IOException e) {
            if (expired.get() || e instanceof SocketTimeoutException || e instanceof HttpTimeoutException) {
                throw new HttpTimeoutException("request to " + redacted(uri) + " timed out after " + timeout);
            }
            throw e;
        } finally {
            watchdog.cancel(false);
            closeQuietly(socket);
        }
    }

    private Socket connect(List<InetAddress> addresses, int port, long deadline, URI uri, Duration timeout)
            throws IOException {
        IOException last = null;
        // Only addresses the guard has just checked are tried; the name is not looked up again.
        for (InetAddress address : addresses) {
            long left = remaining(deadline);
            if (left <= 0) {
                break;
            }
            int millis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), TimeUnit.NANOSECONDS.toMillis(left)));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), millis);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (SocketTimeoutException e) {
                closeQuietly(socket);
                last = new HttpTimeoutException("connecting to " + redacted(uri) + " timed out");
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        if (last == null) {
            throw new HttpTimeoutException("request to " + redacted(uri) + " timed out after " + timeout);
        }
        if (last instanceof HttpTimeoutException) {
            throw last;
        }
        throw new IOException("cannot connect to " + redacted(uri) + ": " + last.getMessage(), last);
    }

    private SSLSocket tls(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) sslContext.get().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        // The certificate is verified against the name in the URL, not against the address connected to.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private Response read(InputStream in, Socket socket, long deadline, URI uri, String method, BodyLimit limit)
            throws IOException {
        while (true) {
            socket.setSoTimeout(soTimeout(deadline));
            String statusLine = line(in);
            int status = status(statusLine, uri);
            HttpHeaders headers = headers(in, uri);
            if (status >= 100 && status < 200) {
                continue;   // interim response (100 Continue, 103 Early Hints): the real one follows
            }
            int wanted = Math.max(0, limit.bytesFor(status, headers));
            if (wanted == 0 || "HEAD".equals(method) || status == 204 || status == 304) {
                return new Response(uri, status, headers, new byte[0], false);
            }
            InputStream body = body(in, headers, uri);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(wanted, 64 * 1024));
            byte[] buffer = new byte[8192];
            while (bytes.size() < wanted) {
                socket.setSoTimeout(soTimeout(deadline));
                int n = body.read(buffer, 0, Math.min(buffer.length, wanted - bytes.size()));
                if (n < 0) {
                    return new Response(uri, status, headers, bytes.toByteArray(), false);
                }
                bytes.write(buffer, 0, n);
            }
            socket.setSoTimeout(soTimeout(deadline));
            boolean more = body.read() >= 0;
            return new Response(uri, status, headers, bytes.toByteArray(), more);
        }
    }

    private static InputStream body(InputStream in, HttpHeaders headers, URI uri) throws IOException {
        List<String> encodings = headers.allValues("Transfer-Encoding");
        if (!encodings.isEmpty()) {
            String all = String.join(",", encodings).toLowerCase(Locale.ROOT).replace(" ", "");
            if (!all.equals("chunked")) {
                throw new IOException("unsupported transfer encoding '" + all + "' from " + redacted(uri));
            }
            return new ChunkedStream(in);
        }
        List<String> lengths = headers.allValues("Content-Length");
        if (!lengths.isEmpty()) {
            long length = -1;
            for (String value : lengths) {
                for (String part : value.split(",")) {
                    long parsed;
                    try {
                        parsed = Long.parseLong(part.strip());
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length '" + value + "' from " + redacted(uri));
                    }
                    if (parsed < 0 || (length >= 0 && parsed != length)) {
                        throw new IOException("bad Content-Length '" + value + "' from " + redacted(uri));
                    }
                    length = parsed;
                }
            }
            return new LengthStream(in, length);
        }
        return in;   // delimited by the server closing the connection
    }

    private static int status(String line, URI uri) throws IOException {
        // "HTTP/1.1 200 OK"; the reason phrase may be missing
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x response from " + redacted(uri));
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status < 100 || status > 599 || (line.length() > 12 && line.charAt(12) != ' ')) {
                throw new NumberFormatException();
            }
            return status;
        } catch (NumberFormatException e) {
            throw new IOException("bad status line from " + redacted(uri));
        }
    }

    private static HttpHeaders headers(InputStream in, URI uri) throws IOException {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        int bytes = 0;
        while (true) {
            String line = line(in);
            if (line.isEmpty()) {
                return HttpHeaders.of(map, (name, value) -> true);
            }
            bytes += line.length();
            if (++count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers too large from " + redacted(uri));
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new IOException("malformed response header from " + redacted(uri));
            }
            String name = line.substring(0, colon).strip();
            map.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
    }

    // A line ending in CRLF (or a bare LF), as ISO-8859-1, without the line end.
    private static String line(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in the middle of the response head");
            }
            if (c == '\n') {
                int end = out.length();
                if (end > 0 && out.charAt(end - 1) == '\r') {
                    out.setLength(end - 1);
                }
                return out.toString();
            }
            if (out.length() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            out.append((char) c);
        }
    }

    private static byte[] head(String method, URI uri, Map<String, String> headers, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        checkText(target, "request target");
        StringBuilder out = new StringBuilder();
        out.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        out.append("Host: ").append(hostHeader(uri)).append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!isToken(name)) {
                throw new IllegalArgumentException("invalid header name '" + name + "'");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the client");
            }
            String value = header.getValue() == null ? "" : header.getValue();
            checkText(value, "value of header '" + name + "'");
            userAgent |= name.equalsIgnoreCase("User-Agent");
            out.append(name).append(": ").append(value).append("\r\n");
        }
        if (!userAgent) {
            out.append("User-Agent: ").append(PageFetcher.USER_AGENT).append("\r\n");
        }
        if (body != null || method.equals("POST") || method.equals("PUT")) {
            out.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String checkedMethod(String method) {
        String m = method.strip().toUpperCase(Locale.ROOT);
        if (m.isEmpty() || !isToken(m)) {
            throw new IllegalArgumentException("invalid method '" + method + "'");
        }
        return m;
    }

    // Control characters would let a value start a new header or request (CRLF injection).
    private static void checkText(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException(what + " contains a character that is not allowed");
            }
        }
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String hostHeader(URI uri) {
        String host = uri.getHost();
        int port = uri.getPort();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean defaultPort = port < 0 || (https && port == 443) || (!https && port == 80);
        return defaultPort ? host : host + ":" + port;
    }

    private static String hostName(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    private static int soTimeout(long deadline) throws HttpTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(remaining(deadline));
        if (left <= 0) {
            throw new HttpTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** The URL without user info, query or fragment: safe for logs and agent transcripts. */
    static String redacted(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            return String.valueOf(uri.getScheme()) + "://" + uri.getHost();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort; the exchange is over either way
        }
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** A response body read in blocks; a single byte is a block of one. */
    private abstract static class BodyStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of known length; reads stop there. */
    private static final class LengthStream extends BodyStream {
        private final InputStream in;
        private long left;

        LengthStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed before the end of the body");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body (RFC 9112 section 7.1); trailers are not read, the connection is closed anyway. */
    private static final class ChunkedStream extends BodyStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;
        private boolean first = true;

        ChunkedStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                if (!first && !line(in).isEmpty()) {
                    throw new IOException("malformed chunked body");
                }
                first = false;
                String size = line(in);
                int semicolon = size.indexOf(';');
                String hex = (semicolon >= 0 ? size.substring(0, semicolon) : size).strip();
                try {
                    chunkLeft = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size in chunked body");
                }
                if (chunkLeft < 0) {
                    throw new IOException("malformed chunk size in chunked body");
                }
                if (chunkLeft == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("connection closed before the end of the body");
            }
            chunkLeft -= n;
            return n;
        }
    }
}
