package io.skyrun.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.skyrun.json.JsonCodec;
import io.swagger.v3.oas.annotations.Hidden;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serves {@code /openapi.json} and a {@code /docs} page that renders it. Each module's controllers
 * are described at compile time (micronaut-openapi writes {@code META-INF/swagger/skyrun-*.yml});
 * this merges the descriptions found on the classpath into one document.
 */
@Controller
@Hidden
public class OpenApiController {
    static final List<String> PARTS = List.of("skyrun-shared", "skyrun-goals-api", "skyrun-runs-api");

    private final JsonCodec codec;
    // merged on the first request, not at start: a Lambda builds every controller when it starts, and parsing
    // the descriptions there would slow every cold start for a page that few requests ask for (API Gateway
    // does not even route it; SnapStart priming does not merge it either)
    private volatile String json;
    private volatile String docsPage;

    public OpenApiController(JsonCodec codec) {
        this.codec = codec;
    }

    @Get(value = "/openapi.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> openapi() {
        String doc = json;
        if (doc == null) {
            doc = codec.write(merge());
            json = doc;
        }
        return HttpResponse.ok(doc);
    }

    @Get("/docs")
    @Produces(MediaType.TEXT_HTML)
    public String docs() {
        String page = docsPage;
        if (page == null) {
            page = read(getClass().getResourceAsStream("/skyrun-docs.html"));
            docsPage = page;
        }
        return page;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.1");
        doc.put("info", Map.of("title", "skyrun", "version", "0.1.0",
                "description", "Goals, runs and steps of the skyrun agent platform (seed 002)."));
        Map<String, Object> paths = new TreeMap<>();
        Map<String, Object> schemas = new TreeMap<>();
        List<Object> tags = new java.util.ArrayList<>();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (String part : PARTS) {
            for (URL url : Collections.list(urls("META-INF/swagger/" + part + ".yml"))) {
                Map<String, Object> one;
                try (InputStream in = url.openStream()) {
                    one = yaml.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (one == null) {
                    continue;
                }
                Object p = one.get("paths");
                if (p instanceof Map<?, ?> m) {
                    paths.putAll((Map<String, Object>) m);
                }
                if (one.get("components") instanceof Map<?, ?> c && c.get("schemas") instanceof Map<?, ?> s) {
                    schemas.putAll((Map<String, Object>) s);
                }
                if (one.get("tags") instanceof List<?> t) {
                    tags.addAll(t);
                }
            }
        }
        if (!tags.isEmpty()) {
            doc.put("tags", tags);
        }
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas));
        return doc;
    }

    private static java.util.Enumeration<URL> urls(String path) {
        try {
            return OpenApiController.class.getClassLoader().getResources(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(InputStream in) {
        if (in == null) {
            return "<!doctype html><title>skyrun API</title><p>See <a href=\"/openapi.json\">/openapi.json</a>.";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
