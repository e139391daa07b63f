/**
 * The {@code launcher} command line: a thin picocli skin over {@code dev.helloworld.core}. It finds
 * the plugins, turns their configuration keys into options, and runs, lists or describes them.
 */
module dev.helloworld.launcher {
    requires dev.helloworld.core;
    requires info.picocli;
    requires java.logging;
    // 'launcher verify' delegates its recording and read-back to plugin-verify.
    uses dev.helloworld.core.spi.KnownAnswerRun;
    // 'launcher topology' prints the graph plugin-topology declares.
    uses dev.helloworld.core.spi.ServiceGraph;
    // sun.misc.Signal: SIGTERM, SIGINT and SIGHUP become an orderly stop with exit code 0.
    requires jdk.unsupported;

    // The scenarios a plugin can inject, for 'launcher scenarios'.
    uses dev.helloworld.core.spi.ScenarioCatalog;

    // picocli reads and writes the annotated command fields reflectively.
    opens dev.helloworld.launcher to info.picocli;
}
