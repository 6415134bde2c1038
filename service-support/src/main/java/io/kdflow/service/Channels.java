package io.kdflow.service;

/** Channel names shared by every service; each service maps them to topics in application.properties. */
public final class Channels {

    /** Outgoing: {@code kdflow.dead-letters.v1}. */
    public static final String DEAD_LETTERS = "dead-letters";

    private Channels() {}
}
