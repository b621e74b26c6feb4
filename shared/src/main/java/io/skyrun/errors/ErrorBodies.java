package io.skyrun.errors;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

/**
 * Renders the errors the framework raises itself (unknown route, wrong method, body too large,
 * unreadable JSON) in the API's own {@code {"error": ...}} format instead of Micronaut's.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ErrorBodies implements JsonErrorResponseBodyProvider<ApiError> {
    @Override
    public ApiError body(ErrorContext context, HttpResponse<?> response) {
        String message = context.getErrors().stream()
                .map(e -> e.getMessage())
                .filter(m -> m != null && !m.isBlank())
                .findFirst()
                .orElseGet(() -> response.reason() == null ? response.getStatus().getReason() : response.reason());
        if (response.code() == 404 && "Page Not Found".equals(message)) {
            message = "Route " + context.getRequest().getMethodName() + " " + context.getRequest().getPath() + " not found";
        }
        return new ApiError(message);
    }
}
