package dev.mailtrail.localstack;

/** A failure the user can act on; its message is printed as is, without a stack trace. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
