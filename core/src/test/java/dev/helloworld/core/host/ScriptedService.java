package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import java.util.Optional;

/**
 * A service whose start and stop do what a test says, and write "start name" / "stop name" to a
 * {@link Journal} as they begin, so that a test sees the order the host called them in.
 */
final class ScriptedService implements Service {

    /** What start does after it is journaled. */
    interface StartAction {
        void run(ServiceContext context) throws Exception;
    }

    /** What stop does after it is journaled. */
    interface StopAction {
        void run() throws Exception;
    }

    private final String name;
    private final int priority;
    private final Journal journal;
    private StartAction onStart = context -> {};
    private StopAction onStop = () -> {};
    private String disabledReason;
    private ConfigException refusal;
    private boolean alongside;
    private volatile ServiceContext context;

    ScriptedService(String name, int priority, Journal journal) {
        this.name = name;
        this.priority = priority;
        this.journal = journal;
    }

    ScriptedService onStart(StartAction action) {
        this.onStart = action;
        return this;
    }

    ScriptedService onStop(StopAction action) {
        this.onStop = action;
        return this;
    }

    /** Makes checkConfig throw {@code e}, journaled as "check name". */
    ScriptedService refusesConfig(ConfigException e) {
        this.refusal = e;
        return this;
    }

    ScriptedService disabledBecause(String reason) {
        this.disabledReason = reason;
        return this;
    }

    /** Lets the host start the later services while this one's start runs. */
    ScriptedService alongsideLaterOnes() {
        this.alongside = true;
        return this;
    }

    @Override
    public boolean startsAlongsideLaterOnes() {
        return alongside;
    }

    /** The context the host started this service with; null before start. */
    ServiceContext context() {
        return context;
    }

    Plugin plugin() {
        return new Plugin(this, "test", "1");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Optional<String> disabledReason(Config config) {
        return Optional.ofNullable(disabledReason);
    }

    @Override
    public void checkConfig(Config config) throws ConfigException {
        if (refusal != null) {
            journal.add("check " + name);
            throw refusal;
        }
    }

    @Override
    public void start(ServiceContext context) throws Exception {
        this.context = context;
        journal.add("start " + name);
        onStart.run(context);
    }

    @Override
    public void stop() throws Exception {
        journal.add("stop " + name);
        onStop.run();
    }
}
