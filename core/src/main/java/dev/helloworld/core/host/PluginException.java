package dev.helloworld.core.host;

/** A plugin that cannot be used at all: not loadable, or clashing with another. */
public final class PluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
