/**
 * The heart of helloworld: the {@link dev.helloworld.core.spi.Service} SPI that every plugin
 * provides, the typed configuration that every plugin reads, and the host that starts and stops
 * them. It depends on nothing outside the JDK so that any plugin can depend on it cheaply.
 */
module dev.helloworld.core {
    // The console log format and its handler are java.util.logging, which the OTLP plugin bridges.
    requires java.logging;

    exports dev.helloworld.core.spi;
    exports dev.helloworld.core.config;
    exports dev.helloworld.core.host;
    exports dev.helloworld.core.logging;
    // JSON values for the plugins' reports, manifests and query answers, so no plugin needs a library.
    exports dev.helloworld.core.json;

    uses dev.helloworld.core.spi.Service;
    // The optional round trip of each exporting plugin, for 'launcher check'.
    uses dev.helloworld.core.spi.ExportCheck;
    uses dev.helloworld.core.logging.LogCorrelation;
}
