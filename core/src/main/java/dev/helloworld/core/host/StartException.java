package dev.helloworld.core.host;

/** A service failed to start; the ones started before it have been stopped again. */
public final class StartException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String service;

    StartException(String service, Throwable cause) {
        super("[" + service + "] failed to start: " + Failures.describe(cause), cause);
        this.service = service;
    }

    /** The name of the service that failed. */
    public String service() {
        return service;
    }
}
