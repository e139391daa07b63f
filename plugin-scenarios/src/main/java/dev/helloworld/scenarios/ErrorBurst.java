package dev.helloworld.scenarios;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * error-burst: a share of requests fails as the service's own random errors do: the server span's
 * status is ERROR (500, so {@code error.type} is {@code 500}), an ERROR log record inside it, and
 * {@code http.server.request.duration} counts a 500. The request's own handler does not run.
 */
final class ErrorBurst implements Effect {

    static final String ANY_ROUTE = "*";

    static final Param<Double> RATE = Param.share("rate", 0.5, "Share of requests that fail, 0 to 1.");
    static final Param<String> ROUTE = new Param<>("route", route(), ANY_ROUTE,
            "Only requests to this path fail, such as /helloworld; * for every route.");

    static final List<Param<?>> PARAMS = List.of(RATE, ROUTE);

    static final String MESSAGE = "injected error (scenario error-burst)";

    /** The logger whose records the OTLP plugin exports as log records, with the current span's ids. */
    private static final System.Logger OTEL = System.getLogger(ConsoleLogging.OTEL_LOGGER);

    private final double rate;
    private final String route;

    ErrorBurst(Parameters parameters) {
        this.rate = parameters.get(RATE);
        this.route = parameters.get(ROUTE);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        if (!route.equals(ANY_ROUTE) && !route.equals(path) || ThreadLocalRandom.current().nextDouble() >= rate) {
            return Optional.empty();
        }
        OTEL.log(Level.ERROR, "[scenario error-burst] got error -> " + MESSAGE);
        Span.current().setStatus(StatusCode.ERROR, MESSAGE);
        return Optional.of(new RequestFailure(500, MESSAGE));
    }

    private static ValueType<String> route() {
        return new ValueType<>() {
            @Override
            public Parsed<String> parse(String raw) {
                String path = raw.trim();
                return path.equals(ANY_ROUTE) || path.matches("/[A-Za-z0-9._~/-]*")
                        ? Parsed.value(path) : Parsed.invalid("a path such as /helloworld, or * for every route");
            }

            @Override
            public String label() {
                return "<path>";
            }
        };
    }
}
