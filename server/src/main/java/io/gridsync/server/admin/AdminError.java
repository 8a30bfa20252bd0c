package io.gridsync.server.admin;

/** A request the admin API refuses, with the HTTP status and a message that says what to change. */
final class AdminError extends RuntimeException {

    final int status;

    AdminError(int status, String message) {
        super(message);
        this.status = status;
    }

    static AdminError badRequest(String message) {
        return new AdminError(400, message);
    }

    static AdminError notFound(String message) {
        return new AdminError(404, message);
    }
}
