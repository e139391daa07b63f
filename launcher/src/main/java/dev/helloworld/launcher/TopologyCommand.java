package dev.helloworld.launcher;

import dev.helloworld.core.spi.ServiceGraph;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code launcher topology}: the graph that {@code run --topology} produces, one edge a line. */
@Command(name = "topology", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the service graph that 'run --topology' produces: one line per edge, "
                + "'caller -> callee (kind)', kind being http, database, cache or queue.",
                "Each logical service exports as '<service name>-<role>' (helloworld-orders); a database "
                + "is named <db.system.name>/<db.namespace>, a cache <db.system.name>, a queue "
                + "<messaging.system>/<messaging.destination.name>."})
final class TopologyCommand implements Callable<Integer> {

    private final ClassLoader loader;

    @Spec
    private CommandSpec spec;

    TopologyCommand(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        ServiceGraph graph = ServiceLoader.load(ServiceGraph.class, loader).findFirst().orElse(null);
        if (graph == null) {
            spec.commandLine().getErr().println("launcher: topology needs plugin-topology, which is not installed");
            return ExitCode.SOFTWARE;
        }
        graph.edges().forEach(edge -> spec.commandLine().getOut().println(edge.line()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
