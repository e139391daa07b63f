module dev.helloworld.http {
    requires dev.helloworld.core;
}
