package dev.helloworld.core.host;

/** Turns an exception into the few words a log line or an error message needs. */
final class Failures {

    private Failures() {}

    /** The message if there is one, otherwise the exception's simple name: never a stack trace. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /** The exception's simple name and its message, if any: {@code IllegalStateException: boom}. */
    static String describeWithType(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
