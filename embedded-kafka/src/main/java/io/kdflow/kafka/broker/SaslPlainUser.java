package io.kdflow.kafka.broker;

import java.util.regex.Pattern;

/**
 * The one user of a broker started with {@code --sasl-plain USER:PASSWORD}: what secured clients are tested against.
 * Names and passwords are restricted to characters that need no quoting in a JAAS configuration.
 */
public record SaslPlainUser(String user, String password) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public SaslPlainUser {
        if (!SAFE.matcher(user).matches() || !SAFE.matcher(password).matches()) {
            throw new IllegalArgumentException("--sasl-plain: user and password must be 1 to 64 of A-Z a-z 0-9 . _ -");
        }
    }

    /** Parses {@code USER:PASSWORD}. */
    public static SaslPlainUser parse(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--sasl-plain needs USER:PASSWORD, got '" + value + "'");
        }
        return new SaslPlainUser(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The JAAS line a client (and the broker itself, between its listeners) logs in with. */
    public String clientJaasConfig() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The broker's JAAS line: its own login plus the one user it accepts. */
    String brokerJaasConfig() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "SaslPlainUser[" + user + "]"; // never the password in a log line
    }
}
