package dev.helloworld.core.spi;

/** Where the host is in its life; services read it, for example to answer a readiness probe. */
public enum HostState {
    /** Services are being started; not every enabled service is up yet. */
    STARTING,
    /** Every enabled service has started. */
    RUNNING,
    /** Services are being stopped. */
    STOPPING,
    /** Every service has stopped (or start failed and was rolled back). */
    STOPPED
}
