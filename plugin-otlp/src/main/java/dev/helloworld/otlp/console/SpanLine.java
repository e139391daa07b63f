package dev.helloworld.otlp.console;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;

/**
 * The console text of one span: a line with its name, kind, duration, status and attributes,
 * such as {@code handle/hello_world INTERNAL 10.2 ms ERROR: user not found}, and one line per
 * event under it, such as {@code - event Before do_something {helloworld.kind=2} at +0.1 ms}.
 * Indented by the span's depth in its trace, so that a request reads as a tree.
 */
final class SpanLine {

    private static final String INDENT = "  ";

    private SpanLine() {}

    /** The span's line followed by its events' lines, each indented {@code depth} levels. */
    static List<String> describe(SpanData span, int depth) {
        String indent = INDENT.repeat(depth);
        List<String> lines = new ArrayList<>(1 + span.getEvents().size());
        String attributes = ConsoleText.attributes(span.getAttributes());
        lines.add(indent + span.getName() + " " + span.getKind() + " "
                + ConsoleText.millis(span.getEndEpochNanos() - span.getStartEpochNanos()) + " "
                + status(span.getStatus()) + (attributes.isEmpty() ? "" : " " + attributes));
        for (EventData event : span.getEvents()) {
            String eventAttributes = ConsoleText.attributes(event.getAttributes());
            lines.add(indent + INDENT + "- event " + event.getName()
                    + (eventAttributes.isEmpty() ? "" : " " + eventAttributes)
                    + " at +" + ConsoleText.millis(event.getEpochNanos() - span.getStartEpochNanos()));
        }
        return lines;
    }

    /** {@code UNSET}, {@code OK} or {@code ERROR}, with the description when there is one. */
    static String status(StatusData status) {
        String description = status.getDescription();
        return status.getStatusCode() == StatusCode.UNSET || description == null || description.isEmpty()
                ? status.getStatusCode().name()
                : status.getStatusCode().name() + ": " + description;
    }
}
