package dev.helloworld.topology;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Map;

/**
 * An RPC as the conventions (1.43, release candidate, hence named here) shape one: gRPC's system,
 * a fully-qualified method, and the status as gRPC names it. Carried over HTTP/1.1 on loopback,
 * a {@code POST /<rpc.method>} as gRPC's own requests are, with the status in a
 * {@code grpc-status} header: a shape for the APM, not the gRPC protocol.
 */
final class Rpc {

    static final String SYSTEM = "grpc";
    /** The header the server answers the numeric gRPC status in. */
    static final String STATUS_HEADER = "grpc-status";

    static final AttributeKey<String> SYSTEM_NAME = AttributeKey.stringKey("rpc.system.name");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
    static final AttributeKey<String> RESPONSE_STATUS_CODE = AttributeKey.stringKey("rpc.response.status_code");

    /** The method each role reached over RPC serves. */
    private static final Map<String, String> METHODS = Map.of("payments", "shop.payments.v1.PaymentService/Charge");

    /** gRPC's numeric codes this shop answers, by the names the conventions record. */
    static final int OK = 0;
    static final int INTERNAL = 13;
    private static final Map<Integer, String> NAMES = Map.of(0, "OK", 2, "UNKNOWN", 13, "INTERNAL", 14, "UNAVAILABLE");

    private Rpc() {}

    static String method(String role) {
        String method = METHODS.get(role);
        if (method == null) {
            throw new IllegalArgumentException("no RPC method declared for " + role);
        }
        return method;
    }

    /** The conventions' name of a numeric gRPC status: {@code OK}, {@code INTERNAL}, ... */
    static String statusName(int code) {
        return NAMES.getOrDefault(code, "UNKNOWN");
    }
}
