package dev.helloworld.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of sending one sample of one signal, as {@code launcher check} prints it.
 *
 * @param signal  what was sent: {@code traces}, {@code metrics}, {@code logs}, {@code profiles}, ...
 * @param target  where it was sent, such as {@code http://collector:4318/v1/logs}; empty when skipped
 * @param status  whether it got through
 * @param elapsed from sending to the outcome (the round trip when it passed)
 * @param cause   what went wrong, in words a user understands; empty when it passed
 * @param fix     the likely fix; empty when there is nothing to suggest
 */
public record SignalCheck(String signal, String target, Status status, Duration elapsed, String cause, String fix) {

    /** Whether a sample got through. */
    public enum Status {
        /** Accepted by the receiving end, whole. */
        OK,
        /** Not accepted, or not all of it, or no answer in time. */
        FAILED,
        /** Not sent: the signal is off, or this configuration sends it nowhere. */
        SKIPPED
    }

    public SignalCheck {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(fix, "fix");
    }

    public static SignalCheck passed(String signal, String target, Duration roundTrip) {
        return new SignalCheck(signal, target, Status.OK, roundTrip, "", "");
    }

    public static SignalCheck failed(String signal, String target, Duration elapsed, String cause, String fix) {
        return new SignalCheck(signal, target, Status.FAILED, elapsed, cause, fix);
    }

    /** @param why why it was not sent, such as "traces off" */
    public static SignalCheck skipped(String signal, String why) {
        return new SignalCheck(signal, "", Status.SKIPPED, Duration.ZERO, why, "");
    }
}
