module dev.helloworld.otlp {
    requires dev.helloworld.core;
}
