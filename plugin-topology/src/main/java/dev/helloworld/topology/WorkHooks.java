package dev.helloworld.topology;

import dev.helloworld.core.spi.ProfileLabels;
import dev.helloworld.core.spi.RequestHook;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import dev.helloworld.core.spi.ServiceContext;
import java.util.Optional;

/**
 * What other plugins hook into the logical services' work, each through core's SPI, so that this
 * plugin depends on none of them: the incidents aimed at one role or dependency
 * ({@link RequestHook#beforeWork}, from plugin-scenarios) and each role's label on the profiler's
 * samples ({@link ProfileLabels}, from plugin-profiling). Either may be absent.
 */
final class WorkHooks {

    static final WorkHooks NONE = new WorkHooks(Optional.empty(), Optional.empty());

    private static final ProfileLabels.Labelled UNLABELLED = () -> {};

    private final Optional<RequestHook> incidents;
    private final Optional<ProfileLabels> labels;

    WorkHooks(Optional<RequestHook> incidents, Optional<ProfileLabels> labels) {
        this.incidents = incidents;
        this.labels = labels;
    }

    static WorkHooks of(ServiceContext context) {
        return new WorkHooks(context.lookup(RequestHook.class), context.lookup(ProfileLabels.class));
    }

    /** The incidents aimed at {@code target} (a role, a dependency's node), run inside its span. */
    Optional<RequestFailure> before(String target) {
        return incidents.flatMap(hook -> hook.beforeWork(target));
    }

    /** Labels this thread's samples with {@code serviceName} until closed. */
    ProfileLabels.Labelled label(String serviceName) {
        return labels.map(l -> l.label(serviceName)).orElse(UNLABELLED);
    }
}
