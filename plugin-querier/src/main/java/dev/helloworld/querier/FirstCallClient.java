package dev.helloworld.querier;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The querier's HTTP client, built by its first call rather than at the service's start. OkHttp
 * reads the JDK's trust store and sets up TLS as a client is built, whatever the target's scheme:
 * 100-190 ms of the start's main thread, right after the server began to listen, while the first
 * request was being served on the same two cores (BENCHMARKS.md figure 1, "quiet machine"). The
 * first periodic call is an interval later.
 */
final class FirstCallClient implements Call.Factory {

    private record Built(OkHttpClient client, Call.Factory calls) {}

    private final Supplier<OkHttpClient> client;
    private final Function<OkHttpClient, Call.Factory> calls;
    private volatile Built built;

    /**
     * @param client builds the client
     * @param calls  the call factory to use over it (the instrumented one)
     */
    FirstCallClient(Supplier<OkHttpClient> client, Function<OkHttpClient, Call.Factory> calls) {
        this.client = client;
        this.calls = calls;
    }

    @Override
    public Call newCall(Request request) {
        return built().calls().newCall(request);
    }

    /** The client, once a call has built it: what stop has to close. */
    Optional<OkHttpClient> client() {
        Built now = built;
        return now == null ? Optional.empty() : Optional.of(now.client());
    }

    private Built built() {
        Built now = built;
        if (now == null) {
            synchronized (this) {
                now = built;
                if (now == null) {
                    OkHttpClient made = client.get();
                    now = new Built(made, calls.apply(made));
                    built = now;
                }
            }
        }
        return now;
    }
}
