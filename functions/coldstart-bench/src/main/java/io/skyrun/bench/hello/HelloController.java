package io.skyrun.bench.hello;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The baseline of the cold-start benchmark: a bare Micronaut function on the same stack as goals-api
 * and runs-api (API Gateway v2 proxy handler, serde-jackson, logback, YAML configuration), with one
 * route and nothing else.
 */
@Controller("/hello")
public class HelloController {
    /** The answer body. */
    @Serdeable
    public record Hello(String message) {
    }

    @Get
    public Hello hello() {
        return new Hello("hello");
    }
}
