module dev.helloworld.launcher { requires dev.helloworld.core; }
