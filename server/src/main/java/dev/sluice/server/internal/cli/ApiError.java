package dev.sluice.server.internal.cli;

/**
 * The REST API answered with an error status. The message is the server's own ({@code error.message}) followed by
 * {@code (HTTP <status>)}, so the user sees why without a stack trace; {@link #code()} lets callers react to
 * specific errors (a 404 during {@code apply} means "create it").
 */
public final class ApiError extends CommandFailure {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiError(int status, String code, String serverMessage) {
        super(serverMessage + " (HTTP " + status + ")");
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The server's machine-readable code, e.g. {@code topic_not_found}; empty when the body had none. */
    public String code() {
        return code;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
