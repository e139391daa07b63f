module dev.helloworld.sample {
    requires dev.helloworld.core;
}
