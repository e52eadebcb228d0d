package dev.ringfork.ipc.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@link Cluster} is: its name and the addresses of some of its members (one that answers is enough),
 * and how long {@link Cluster#connect(ClusterOptions)} may try before it gives up with a
 * {@link ClusterUnavailableException}.
 * <pre>{@code
 * ClusterOptions where = ClusterOptions.of("jobs", "10.0.0.5:5701", "10.0.0.6:5701").withConnectTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * @param clusterName    the name every host agent was started with ({@code ringfork worker --cluster NAME}): letters,
 *                       digits, '.', '_' and '-', at most 64
 * @param members        {@code host:port} (or {@code host}, port 5701) of members to reach first; the others are found
 *                       through them
 * @param connectTimeout how long connecting may take in all (default 10 s)
 */
public record ClusterOptions(String clusterName, List<String> members, Duration connectTimeout) {

    /** The port of a member when an address names none: Hazelcast's default. */
    public static final int DEFAULT_PORT = 5701;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ClusterOptions {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("cluster name '" + clusterName + "' is not valid: use 1 to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit (the name given to ringfork worker --cluster)");
        }
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no member address given: name at least one host:port of the cluster"
                    + " (a host agent started with ringfork worker listens on port " + DEFAULT_PORT + " unless told otherwise)");
        }
        members.forEach(MemberAddress::parse); // validates
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
    }

    /** A cluster called {@code clusterName}, reached through {@code members} ({@code host:port}), connect timeout 10 s. */
    public static ClusterOptions of(String clusterName, String... members) {
        return new ClusterOptions(clusterName, List.of(members), Duration.ofSeconds(10));
    }

    /** A cluster called {@code clusterName}, reached through {@code members} ({@code host:port}), connect timeout 10 s. */
    public static ClusterOptions of(String clusterName, List<String> members) {
        return new ClusterOptions(clusterName, members, Duration.ofSeconds(10));
    }

    /** These options with another connect timeout. */
    public ClusterOptions withConnectTimeout(Duration timeout) {
        return new ClusterOptions(clusterName, members, timeout);
    }

    /** The member addresses, parsed. */
    List<MemberAddress> addresses() {
        return members.stream().map(MemberAddress::parse).toList();
    }
}
