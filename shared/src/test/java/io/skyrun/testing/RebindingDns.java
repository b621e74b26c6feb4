package io.skyrun.testing;

import com.sun.net.httpserver.HttpServer;
import io.skyrun.http.OutboundGuard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS-rebinding setup on loopback only: a "public" server on 127.0.0.2 and an internal one on 127.0.0.1
 * on the same port, and a guard that refuses private addresses, treats 127.0.0.2 as if it were public, and
 * whose name resolution answers 127.0.0.2 the first time and 127.0.0.1 every time after.
 */
public final class RebindingDns implements AutoCloseable {
    public static final InetAddress STAND_IN_PUBLIC = literal("127.0.0.2");
    public static final InetAddress LOOPBACK = literal("127.0.0.1");

    private final HttpServer outside;
    private final HttpServer internal;
    private final List<String> internalHits = new CopyOnWriteArrayList<>();
    private final List<String> outsideHits = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();

    /** Both servers answer every path with 200 and the given type; the internal one's body is "internal". */
    public RebindingDns(String contentType, String publicBody) {
        try {
            HttpServer[] pair = pair(contentType, publicBody);
            outside = pair[0];
            internal = pair[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return outside.getAddress().getPort();
    }

    /** A URL on the given name and the shared port. */
    public String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    public OutboundGuard guard() {
        return new OutboundGuard(false) {
            @Override
            protected InetAddress[] resolve(String host) {
                return new InetAddress[] {lookups.getAndIncrement() == 0 ? STAND_IN_PUBLIC : LOOPBACK};
            }

            @Override
            protected boolean permitted(InetAddress address) {
                return address.equals(STAND_IN_PUBLIC) || super.permitted(address);
            }
        };
    }

    public List<String> internalHits() {
        return List.copyOf(internalHits);
    }

    public List<String> outsideHits() {
        return List.copyOf(outsideHits);
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public void close() {
        outside.stop(0);
        internal.stop(0);
    }

    private HttpServer[] pair(String contentType, String publicBody) throws IOException {
        for (int attempt = 0; ; attempt++) {
            HttpServer first = server(STAND_IN_PUBLIC, 0, contentType, publicBody, outsideHits);
            try {
                HttpServer second = server(LOOPBACK, first.getAddress().getPort(), contentType, "internal",
                        internalHits);
                return new HttpServer[] {first, second};
            } catch (BindException taken) {
                first.stop(0);
                if (attempt >= 5) {
                    throw taken;
                }
            }
        }
    }

    private static HttpServer server(InetAddress address, int port, String contentType, String body,
                                     List<String> hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext("/", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
