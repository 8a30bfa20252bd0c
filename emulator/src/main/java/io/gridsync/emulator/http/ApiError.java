package io.gridsync.emulator.http;

import java.util.ArrayList;
import java.util.List;

/**
 * An error answered in SendGrid's shape: {@code {"errors":[{"field":...,"message":...}]}}.
 * Handlers throw it; {@link ApiRouter} turns it into the response.
 */
public final class ApiError extends RuntimeException {

    /** One entry of SendGrid's {@code errors} array; {@code field} may be null, as SendGrid sends it. */
    public record FieldError(String field, String message) {}

    private final int status;
    private final List<FieldError> errors;

    public ApiError(int status, List<FieldError> errors) {
        super(errors.isEmpty() ? "HTTP " + status : errors.get(0).message());
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiError of(int status, String field, String message) {
        return new ApiError(status, List.of(new FieldError(field, message)));
    }

    public static ApiError badRequest(String field, String message) {
        return of(400, field, message);
    }

    public static ApiError notFound(String message) {
        return of(404, null, message);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Collects several field errors, as SendGrid reports all problems of a request at once. */
    public static final class Collector {
        private final List<FieldError> errors = new ArrayList<>();

        public void add(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        public int size() {
            return errors.size();
        }

        public void throwIfAny(int status) {
            if (!errors.isEmpty()) {
                throw new ApiError(status, errors);
            }
        }
    }
}
