package io.skyrun.errors;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps domain exceptions to the API's {@code {"error": ...}} body. */
public final class ErrorHandlers {
    private ErrorHandlers() {
    }

    /** 404 for records that do not exist. */
    @Produces
    @Singleton
    @Requires(classes = {NotFound.class, ExceptionHandler.class})
    public static class NotFoundHandler implements ExceptionHandler<NotFound, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, NotFound exception) {
            return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(new ApiError(exception.getMessage()));
        }
    }

    /** 400 for validation failures and forbidden state changes. */
    @Produces
    @Singleton
    @Requires(classes = {BadRequest.class, ExceptionHandler.class})
    public static class BadRequestHandler implements ExceptionHandler<BadRequest, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, BadRequest exception) {
            return HttpResponse.<ApiError>badRequest().body(new ApiError(exception.getMessage()));
        }
    }

    /** 500 with a generic message: the cause goes to the log, never to the client. */
    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class UnexpectedHandler implements ExceptionHandler<RuntimeException, HttpResponse<ApiError>> {
        private static final Logger LOG = LoggerFactory.getLogger(UnexpectedHandler.class);

        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, RuntimeException exception) {
            LOG.error("Unexpected error on {} {}", request.getMethod(), request.getPath(), exception);
            return HttpResponse.<ApiError>serverError().body(new ApiError("Internal server error"));
        }
    }
}
