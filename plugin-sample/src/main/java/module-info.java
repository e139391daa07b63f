/**
 * The smallest complete plugin: a service with options of its own. The README walks through it,
 * and the process tests use it to prove that dropping a jar in adds a plugin and that failures
 * in start or stop are handled.
 */
module dev.helloworld.sample {
    requires dev.helloworld.core;

    provides dev.helloworld.core.spi.Service with dev.helloworld.sample.SampleService;
}
