package dev.helloworld.profiling;

import dev.helloworld.core.spi.ProfileLabels;
import io.pyroscope.labels.v2.ConstantContext;
import io.pyroscope.labels.v2.LabelsSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ProfileLabels} with the agent's constant contexts: one context per logical service, made
 * on first use and kept for the life of the process (a handful of services, never a value per
 * request), activated on the thread for the span of its work. The agent writes the context's id
 * into each sample and sends every constant context's labels with each profile, and Pyroscope
 * stores each sample under its labels.
 *
 * <p>A ConstantContext, not a ScopedContext: the latter allocates a context per use, which the
 * agent keeps until the next upload, to label the same five values over and over.
 */
final class ServiceLabels implements ProfileLabels {

    private final Map<String, ConstantContext> contexts = new ConcurrentHashMap<>();

    @Override
    public Labelled label(String serviceName) {
        ConstantContext context = contexts.computeIfAbsent(serviceName,
                name -> ConstantContext.of(new LabelsSet(LOGICAL_SERVICE, name)));
        context.activate();
        // Back to no context rather than to a previous one: a logical service's work does not nest
        // inside another's on one thread (a call to another service waits for it on another thread).
        return context::deactivate;
    }
}
