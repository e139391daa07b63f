package dev.helloworld.otlp.check;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The component loader of one OTLP exporter rebuilt for a check: it hands the exporter the usual
 * sender (OkHttp), wrapped so that the last answer it got is kept. The exporter itself only says
 * success or failure, and reads nothing of a successful answer; the check needs the HTTP status,
 * the gRPC status and the response body (a partial success is in a 200's body).
 */
final class RecordingSenders implements ComponentLoader {

    private final ComponentLoader usual = ComponentLoader.forClassLoader(RecordingSenders.class.getClassLoader());
    private final AtomicReference<SenderOutcome> last = new AtomicReference<>();
    private final AtomicReference<URI> endpoint = new AtomicReference<>();

    /** Where the exporter sends, as its sender was configured; empty before it was built. */
    Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint.get());
    }

    /** The answer to the latest request, once there is one. */
    Optional<SenderOutcome> last() {
        return Optional.ofNullable(last.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Iterable<T> load(Class<T> type) {
        // Only the first provider is wrapped: the exporter picks among several by class name, and
        // the wrappers all share one. helloworld ships one sender, OkHttp.
        if (type == HttpSenderProvider.class) {
            return first(type).map(p -> List.of((T) http((HttpSenderProvider) p))).orElse(List.of());
        }
        if (type == GrpcSenderProvider.class) {
            return first(type).map(p -> List.of((T) grpc((GrpcSenderProvider) p))).orElse(List.of());
        }
        return usual.load(type);
    }

    private <T> Optional<T> first(Class<T> type) {
        return ComponentLoader.loadList(usual, type).stream().findFirst();
    }

    private HttpSenderProvider http(HttpSenderProvider provider) {
        return config -> {
            endpoint.set(config.getEndpoint());
            HttpSender sender = provider.createSender(config);
            return new HttpSender() {
                @Override
                public void send(MessageWriter writer, Consumer<io.opentelemetry.sdk.common.export.HttpResponse> onResponse,
                        Consumer<Throwable> onError) {
                    sender.send(writer, response -> {
                        last.set(new SenderOutcome.Http(response.getStatusCode(), response.getStatusMessage(),
                                body(response.getResponseBody())));
                        onResponse.accept(response);
                    }, error -> {
                        last.set(new SenderOutcome.Failure(error));
                        onError.accept(error);
                    });
                }

                @Override
                public CompletableResultCode shutdown() {
                    return sender.shutdown();
                }
            };
        };
    }

    private GrpcSenderProvider grpc(GrpcSenderProvider provider) {
        return config -> {
            endpoint.set(config.getEndpoint());
            GrpcSender sender = provider.createSender(config);
            return new GrpcSender() {
                @Override
                public void send(MessageWriter writer, Consumer<io.opentelemetry.sdk.common.export.GrpcResponse> onResponse,
                        Consumer<Throwable> onError) {
                    sender.send(writer, response -> {
                        last.set(new SenderOutcome.Grpc(response.getStatusCode(), response.getStatusDescription(),
                                body(response.getResponseMessage())));
                        onResponse.accept(response);
                    }, error -> {
                        last.set(new SenderOutcome.Failure(error));
                        onError.accept(error);
                    });
                }

                @Override
                public CompletableResultCode shutdown() {
                    return sender.shutdown();
                }
            };
        };
    }

    private static byte[] body(byte[] body) {
        return body == null ? new byte[0] : body;
    }
}
