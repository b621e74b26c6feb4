package io.skyrun.errors;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.skyrun.schedule.SchedulerUnavailable;
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

    /** 503 when a backend is unreachable; the cause goes to the log. */
    @Produces
    @Singleton
    @Requires(classes = {Unavailable.class, ExceptionHandler.class})
    public static class UnavailableHandler implements ExceptionHandler<Unavailable, HttpResponse<ApiError>> {
        private static final Logger LOG = LoggerFactory.getLogger(UnavailableHandler.class);

        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, Unavailable exception) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), exception.getMessage(), exception.getCause());
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ApiError(exception.getMessage()));
        }
    }

    /** 503 when the schedule backend (EventBridge) refused or could not be reached. */
    @Produces
    @Singleton
    @Requires(classes = {SchedulerUnavailable.class, ExceptionHandler.class})
    public static class SchedulerUnavailableHandler
            implements ExceptionHandler<SchedulerUnavailable, HttpResponse<ApiError>> {
        private static final Logger LOG = LoggerFactory.getLogger(SchedulerUnavailableHandler.class);

        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, SchedulerUnavailable exception) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), exception.getMessage(), exception);
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ApiError("Schedule service unavailable; try again"));
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
