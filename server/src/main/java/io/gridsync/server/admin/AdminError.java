package io.gridsync.server.admin;

/** A request the admin API refuses, with the HTTP status and a message that says what to change. */
public final class AdminError extends RuntimeException {

    public final int status;

    public AdminError(int status, String message) {
        super(message);
        this.status = status;
    }

    public static AdminError badRequest(String message) {
        return new AdminError(400, message);
    }

    public static AdminError notFound(String message) {
        return new AdminError(404, message);
    }
}
