package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * downstream: a share of requests calls a dependency that fails, with a traced OkHttp call (the
 * library instrumentation the querier uses): a client span under the server span with status
 * ERROR, {@code error.type} and {@code server.address}/{@code server.port}, and a point in
 * {@code http.client.request.duration}. The request then answers as a gateway would: 502 when the
 * dependency cannot be reached, 504 when it does not answer in time (RFC 9110, 15.6.3 and 15.6.5).
 * The seed itself calls nothing downstream, so there is no answer of its own to copy. A slow call
 * still in flight when the incident ends fails sooner, with an {@code IOException} and a 502: the
 * dependency's connections are closed at the end.
 */
final class Downstream implements Effect {

    /** How the dependency fails. */
    enum Mode {
        /** Connection refused: a loopback port this plugin bound and closed again. */
        UNREACHABLE,
        /** Connected, never answered: a loopback socket that accepts and stays silent until the timeout. */
        SLOW
    }

    /** A slow request, not a hung one. */
    static final Duration MOST = Duration.ofSeconds(10);

    static final String PATH = "/dependency";

    static final Param<Mode> MODE = new Param<>("mode", ValueType.choice(Mode.class), Mode.UNREACHABLE,
            "unreachable: the connection is refused; slow: it is accepted and never answered.");
    static final Param<Double> SHARE = Param.share("share", 0.5, "Share of requests that call the dependency, 0 to 1.");
    static final Param<Duration> TIMEOUT = new Param<>("timeout", Param.durationUpTo(MOST), Duration.ofSeconds(1),
            "How long a call waits to connect and for an answer, at most 10s.");

    static final List<Param<?>> PARAMS = List.of(MODE, SHARE, TIMEOUT);

    private final Mode mode;
    private final double share;
    private final OkHttpClient client;
    private final Call.Factory calls;
    private final Dependency dependency;

    Downstream(Parameters parameters, OpenTelemetry openTelemetry) {
        this.mode = parameters.get(MODE);
        this.share = parameters.get(SHARE);
        Duration timeout = parameters.get(TIMEOUT);
        this.client = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                // One attempt per request: a retry would hide the failure behind a second client span.
                .retryOnConnectionFailure(false).build();
        this.calls = OkHttpTelemetry.builder(openTelemetry).build().createCallFactory(client);
        this.dependency = mode == Mode.UNREACHABLE ? Dependency.refusing()
                // Held a second past the timeout, so that the caller always gives up first.
                : Dependency.silent(timeout.plusSeconds(1));
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        if (ThreadLocalRandom.current().nextDouble() >= share) {
            return Optional.empty();
        }
        Request request = new Request.Builder().url("http://127.0.0.1:" + dependency.port() + PATH).build();
        try (Response ignored = calls.newCall(request).execute()) {
            // Neither dependency ever answers; should one, the request goes on as if it had not called.
            return Optional.empty();
        } catch (InterruptedIOException e) {
            return Optional.of(new RequestFailure(504, "dependency timed out (scenario downstream): " + e));
        } catch (IOException e) {
            return Optional.of(new RequestFailure(502, "dependency unreachable (scenario downstream): " + e));
        }
    }

    @Override
    public void started() {
        dependency.open();
    }

    @Override
    public void ended() {
        dependency.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    Mode mode() {
        return mode;
    }

    int port() {
        return dependency.port();
    }
}
