package dev.helloworld.querier;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.spi.BuildVersion;
import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The caller of {@code GET /helloworld}, as the original's querier: once per
 * {@code --query-interval}, or at {@code --query-rate} calls per second as steady reference
 * traffic. Its target is the in-process server's published address unless {@code --query-target}
 * says otherwise.
 */
public final class QuerierService implements Service {

    /** Time to open a connection; a target that is down is reported fast. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Time between two reads of the answer; /helloworld burns at most 200 ms at --work-scale 1. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** The whole call, connection to last byte. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    /**
     * How long calls in flight may finish when stopping, before they are cancelled; less when a
     * tenth of the shutdown timeout is less, since the host counts that for all services together.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** How often steady load reports its achieved rate and outcomes. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.querier";

    private final Duration reportEvery;
    private System.Logger log;
    private Duration stopGrace;
    private FirstCallClient client;
    private HelloWorldCaller caller;
    private CallLoop loop;

    public QuerierService() {
        this(REPORT_EVERY);
    }

    /** For tests, which cannot wait a minute for a report. */
    QuerierService(Duration reportEvery) {
        this.reportEvery = reportEvery;
    }

    @Override
    public String name() {
        return "querier";
    }

    @Override
    public int priority() {
        return Priority.CLIENT;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return QuerierKeys.ALL;
    }

    @Override
    public void start(ServiceContext context) {
        Config config = context.config();
        log = context.logger();
        Duration tenth = config.get(Keys.SHUTDOWN_TIMEOUT).dividedBy(10);
        stopGrace = tenth.compareTo(STOP_GRACE) < 0 ? tenth : STOP_GRACE;
        OpenTelemetry openTelemetry = context.lookup(OpenTelemetry.class).orElse(OpenTelemetry.noop());
        HttpUrl url = helloWorldUrl(target(context));
        double rate = config.get(QuerierKeys.RATE);
        int concurrency = config.get(QuerierKeys.CONCURRENCY);

        client = new FirstCallClient(() -> new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .callTimeout(CALL_TIMEOUT)
                // Reference traffic must not double a call behind the operator's back.
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(concurrency, 30, TimeUnit.SECONDS))
                .build(), built -> OkHttpTelemetry.builder(openTelemetry).build().createCallFactory(built));
        Outcomes outcomes = new Outcomes();
        caller = new HelloWorldCaller(openTelemetry.tracerBuilder(INSTRUMENTATION_SCOPE)
                .setInstrumentationVersion(BuildVersion.of(QuerierService.class)).build(),
                client, url, outcomes, rate > 0);
        if (rate > 0) {
            loop = new SteadyLoad(caller, rate, concurrency, reportEvery, outcomes, log);
            log.log(Level.INFO, "calling {0} {1} times a second, up to {2} at once; outcomes every {3}",
                    url, rate, concurrency, Durations.format(reportEvery));
        } else {
            Duration interval = config.get(QuerierKeys.INTERVAL);
            loop = new PeriodicCalls(caller, interval);
            log.log(Level.INFO, "calling {0} every {1}", url, Durations.format(interval));
        }
        loop.start();
    }

    /**
     * Stops making calls, gives those in flight up to {@link #STOP_GRACE} to finish (so that their spans
     * end and are exported), cancels the rest (counted as "cancelled at stop", not as failures),
     * then closes OkHttp's threads and connections.
     */
    @Override
    public void stop() throws InterruptedException {
        try {
            loop.shutdown();
            if (!loop.awaitTermination(stopGrace)) {
                caller.cancelling();
                client.client().ifPresent(built -> built.dispatcher().cancelAll());
                loop.shutdownNow();
                loop.awaitTermination(Duration.ofSeconds(1));
            }
        } finally {
            client.client().ifPresent(built -> {
                built.dispatcher().executorService().shutdown();
                built.connectionPool().evictAll();
            });
        }
    }

    /** Connections OkHttp holds open, idle or not; for tests of stop. */
    int openConnections() {
        return client.client().map(built -> built.connectionPool().connectionCount()).orElse(0);
    }

    /** --query-target when set; else where the in-process server really listens; else its configuration. */
    private static URI target(ServiceContext context) {
        Config config = context.config();
        if (config.origin(QuerierKeys.TARGET).kind() != Origin.Kind.DEFAULT) {
            return config.get(QuerierKeys.TARGET);
        }
        return context.lookup(HttpServerAddress.class).map(HttpServerAddress::uri)
                .orElseGet(() -> config.get(QuerierKeys.TARGET));
    }

    static HttpUrl helloWorldUrl(URI base) {
        String text = base.toString();
        return HttpUrl.get((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/helloworld");
    }
}
