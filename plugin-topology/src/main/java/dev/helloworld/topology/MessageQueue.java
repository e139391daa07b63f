package dev.helloworld.topology;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A message queue simulated in process: a bounded in-memory queue whose messages carry the
 * producer's trace context in their headers, as a broker's would. Its spans ({@link QueueProducer},
 * {@link QueueConsumer}) and metrics are shaped as the messaging conventions define them
 * ({@code messaging.system}, {@code messaging.destination.name}, {@code messaging.operation.type};
 * incubating in semconv 1.43, hence named here).
 */
final class MessageQueue {

    static final String SYSTEM = "kafka";
    static final String DESTINATION = "order-events";
    static final String HOST = "events-broker";
    static final int PORT = 9092;

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    /** error.type of a message the full queue dropped. */
    static final String FULL = "queue_full";

    /** A message: its headers (the trace context) only; the simulated order needs no body. */
    record Message(Map<String, String> headers) {}

    /** More than a stopped consumer could leave behind at the highest rate; a message over it is dropped. */
    private static final int CAPACITY = 1024;

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>(CAPACITY);

    /** How the graph names it: {@code <messaging.system>/<messaging.destination.name>}. */
    static String node() {
        return SYSTEM + "/" + DESTINATION;
    }

    /** The attributes both sides' spans carry, with the operation's type and name. */
    static Attributes attributes(String operationType, String operationName) {
        return Attributes.builder()
                .put(MESSAGING_SYSTEM, SYSTEM)
                .put(DESTINATION_NAME, DESTINATION)
                .put(OPERATION_TYPE, operationType)
                .put(OPERATION_NAME, operationName)
                .put(ServerAttributes.SERVER_ADDRESS, HOST)
                .put(ServerAttributes.SERVER_PORT, (long) PORT)
                .build();
    }

    /**
     * The attributes the messaging metrics carry: those of the spans but the operation's type
     * (only messaging.client.operation.duration has it), and error.type when it failed.
     */
    static Attributes metricAttributes(String operationName, boolean succeeded) {
        var attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, SYSTEM)
                .put(DESTINATION_NAME, DESTINATION)
                .put(OPERATION_NAME, operationName)
                .put(ServerAttributes.SERVER_ADDRESS, HOST)
                .put(ServerAttributes.SERVER_PORT, (long) PORT);
        if (!succeeded) {
            attributes.put(ErrorAttributes.ERROR_TYPE, FULL);
        }
        return attributes.build();
    }

    /** Queues {@code message}; false when the queue is full and it is dropped. */
    boolean offer(Message message) {
        return messages.offer(message);
    }

    /** The next message, waiting up to {@code wait} for one. */
    Optional<Message> next(Duration wait) throws InterruptedException {
        return Optional.ofNullable(messages.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The next message if there is one, without waiting: to drain at stop. */
    Optional<Message> next() {
        return Optional.ofNullable(messages.poll());
    }
}
