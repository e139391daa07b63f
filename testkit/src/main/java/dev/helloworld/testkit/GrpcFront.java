package dev.helloworld.testkit;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** OTLP/gRPC: the three collector services generated in {@code opentelemetry-proto}. */
final class GrpcFront {

    private static final Context.Key<Map<String, String>> HEADERS = Context.key("otlp-headers");

    private final Server server;
    private final int port;

    private GrpcFront(Server server) {
        this.server = server;
        // Read once: a stopped server no longer tells its port, and tests still need the endpoint.
        this.port = server.getPort();
    }

    static GrpcFront start(int port, TlsMaterial tls, ToIntFunction<OtlpReceiver.Received> sink,
            Function<String, ScriptedAnswer> scripted) throws IOException {
        ServerInterceptor headers = new HeaderCapture();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        if (tls != null) {
            builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManagers())).build());
        }
        Server server = builder
                .addService(ServerInterceptors.intercept(new Traces(sink, scripted), headers))
                .addService(ServerInterceptors.intercept(new Metrics(sink, scripted), headers))
                .addService(ServerInterceptors.intercept(new Logs(sink, scripted), headers))
                .build()
                .start();
        return new GrpcFront(server);
    }

    int port() {
        return port;
    }

    void stop() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Message> void answer(ToIntFunction<OtlpReceiver.Received> sink,
            Function<String, ScriptedAnswer> scripted, String signal, Message request, R response,
            StreamObserver<R> observer) {
        ScriptedAnswer answer = scripted.apply(signal);
        if (answer != null && answer.refuses()) {
            observer.onError(answer.grpcStatus().asRuntimeException());
            return;
        }
        int status = sink.applyAsInt(new OtlpReceiver.Received(OtlpReceiver.GRPC, signal, HEADERS.get(), request));
        if (status == Gate.ACCEPT) {
            observer.onNext(answer == null ? response : (R) answer.response(signal));
            observer.onCompleted();
        } else {
            observer.onError(grpcStatus(status).withDescription("refused by the test's OTLP receiver")
                    .asRuntimeException());
        }
    }

    /** The gRPC status that means what an HTTP refusal status means to an OTLP exporter. */
    private static Status grpcStatus(int http) {
        return switch (http) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.UNIMPLEMENTED;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            default -> Status.UNAVAILABLE;
        };
    }

    /** Puts the call's metadata into the gRPC context, where the service methods read it. */
    private static final class HeaderCapture implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata metadata,
                ServerCallHandler<Q, A> next) {
            Map<String, String> headers = new TreeMap<>();
            for (String name : metadata.keys()) {
                if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    Iterable<String> values = metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
                    if (values != null) {
                        headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
                    }
                }
            }
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, metadata, next);
        }
    }

    private static final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
        private final ToIntFunction<OtlpReceiver.Received> sink;

        private final Function<String, ScriptedAnswer> scripted;

        Traces(ToIntFunction<OtlpReceiver.Received> sink, Function<String, ScriptedAnswer> scripted) {
            this.sink = sink;
            this.scripted = scripted;
        }

        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
            answer(sink, scripted, OtlpReceiver.TRACES, request, ExportTraceServiceResponse.getDefaultInstance(), observer);
        }
    }

    private static final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
        private final ToIntFunction<OtlpReceiver.Received> sink;

        private final Function<String, ScriptedAnswer> scripted;

        Metrics(ToIntFunction<OtlpReceiver.Received> sink, Function<String, ScriptedAnswer> scripted) {
            this.sink = sink;
            this.scripted = scripted;
        }

        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> observer) {
            answer(sink, scripted, OtlpReceiver.METRICS, request, ExportMetricsServiceResponse.getDefaultInstance(), observer);
        }
    }

    private static final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
        private final ToIntFunction<OtlpReceiver.Received> sink;

        private final Function<String, ScriptedAnswer> scripted;

        Logs(ToIntFunction<OtlpReceiver.Received> sink, Function<String, ScriptedAnswer> scripted) {
            this.sink = sink;
            this.scripted = scripted;
        }

        @Override
        public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
            answer(sink, scripted, OtlpReceiver.LOGS, request, ExportLogsServiceResponse.getDefaultInstance(), observer);
        }
    }
}
