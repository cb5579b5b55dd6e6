package dev.sluice.server.internal.cli;

/**
 * A client command failed while running: the server refused a request, could not be reached, or the requested
 * change cannot be made. The CLI prints {@code sluice: <message>} on one line and exits with status 1.
 */
public class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
