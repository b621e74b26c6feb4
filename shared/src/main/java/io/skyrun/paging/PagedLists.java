package io.skyrun.paging;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.skyrun.errors.BadRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP side of list paging, the same for every list endpoint. A request asks with
 * {@code ?limit=} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code ?cursor=};
 * the body stays a plain JSON array (the shape seed 002 gives), and when more items exist the
 * response carries the next page's token in {@value #NEXT_CURSOR} and a {@code Link: <...>; rel="next"}.
 */
public final class PagedLists {
    public static final String NEXT_CURSOR = "X-Next-Cursor";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private PagedLists() {
    }

    /** Reads {@code limit} and {@code cursor}; 400 with the parameter's name when either is malformed. */
    public static PageRequest request(String limit, String cursor) {
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                throw new BadRequest("limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        Cursor after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = Cursor.parse(cursor).orElseThrow(
                    () -> new BadRequest("cursor is not valid: pass the X-Next-Cursor value of the previous page"));
        }
        return new PageRequest(after, size);
    }

    /** 200 with the page's items as the body and the next-page headers when there is a next page. */
    public static <T> MutableHttpResponse<List<T>> respond(HttpRequest<?> request, Page<T> page) {
        MutableHttpResponse<List<T>> response = HttpResponse.ok(page.items());
        if (page.next() != null) {
            String token = page.next().token();
            response.header(NEXT_CURSOR, token);
            response.header("Link", "<" + nextUri(request, token) + ">; rel=\"next\"");
        }
        return response;
    }

    // the same path and filters, with the cursor replaced
    private static String nextUri(HttpRequest<?> request, String token) {
        Map<String, List<String>> params = request.getParameters().asMap();
        String query = params.entrySet().stream()
                .filter(e -> !e.getKey().equals("cursor"))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return request.getPath() + "?" + (query.isEmpty() ? "" : query + "&") + "cursor=" + token;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
