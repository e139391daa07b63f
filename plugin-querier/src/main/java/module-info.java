module dev.helloworld.querier {
    requires dev.helloworld.core;
}
