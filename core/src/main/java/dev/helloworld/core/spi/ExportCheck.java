package dev.helloworld.core.spi;

import dev.helloworld.core.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * An optional capability of a plugin that sends telemetry out of the process: one small sample of
 * each signal it exports, sent once with the configuration {@code launcher run} would use, and the
 * outcome of each send, for {@code launcher check}.
 *
 * <p>Providers are found like {@link Service}s, with {@link java.util.ServiceLoader}: declare
 * {@code provides dev.helloworld.core.spi.ExportCheck with ...} in {@code module-info.java} and list
 * the class in {@code META-INF/services/dev.helloworld.core.spi.ExportCheck}. A provider needs a
 * public no-argument constructor that does no work. Checks of different plugins run at the same
 * time; the launcher prints their results by ascending {@link #priority()}, then name.
 */
public interface ExportCheck {

    /** The plugin's name, as its {@link Service#name()}. */
    String name();

    /** Where its lines go among the others': lower first. See {@link Priority}. */
    default int priority() {
        return Priority.DEFAULT;
    }

    /**
     * Sends one sample of each signal that {@code config} has on, and waits for each outcome. It
     * returns within {@code timeout}: a signal whose send has no outcome by then is
     * {@link SignalCheck.Status#FAILED} with the time it waited. A signal that is off, or that
     * this configuration keeps in the process, is {@link SignalCheck.Status#SKIPPED}.
     *
     * @throws Exception only for a fault of the check itself; a failed send is a result
     */
    List<SignalCheck> check(Config config, Duration timeout) throws Exception;
}
