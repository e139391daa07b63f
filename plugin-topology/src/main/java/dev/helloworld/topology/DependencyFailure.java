package dev.helloworld.topology;

import java.io.IOException;

/**
 * A simulated dependency's call that failed (an incident aimed at it): an I/O failure, as a
 * driver's would be, so that the caller fails its request as for any other failed call.
 */
final class DependencyFailure extends IOException {

    private static final long serialVersionUID = 1L;

    /** {@code error.type} of the failed call: low-cardinality, as the conventions ask, and this class's name. */
    static final String TYPE = DependencyFailure.class.getName();

    DependencyFailure(String node, String why) {
        super(node + ": " + why);
    }
}
