module dev.helloworld.profiling {
    requires dev.helloworld.core;
}
