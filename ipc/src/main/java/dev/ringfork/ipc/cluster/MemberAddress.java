package dev.ringfork.ipc.cluster;

/**
 * One {@code host:port} of a member, checked: a host name or IPv4 address, or an IPv6 address in brackets
 * ({@code [::1]:5701}); the port 1 to 65535, {@link ClusterOptions#DEFAULT_PORT} when none is given.
 *
 * @param host the host name or address, without brackets
 * @param port the port
 */
public record MemberAddress(String host, int port) {

    public MemberAddress {
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == ',')) {
            throw new IllegalArgumentException("member host '" + host + "' is not a host name or address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("member port " + port + " is out of range: use 1 to 65535");
        }
    }

    /** Parses {@code host:port}, {@code host}, {@code [v6]:port} or {@code [v6]}. */
    public static MemberAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a member address is empty: give host:port, e.g. 127.0.0.1:" + ClusterOptions.DEFAULT_PORT);
        }
        String text = address.strip();
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("member address '" + address + "' opens '[' without closing it");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("member address '" + address + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0) {
            if (text.indexOf(':') != text.lastIndexOf(':')) {
                throw new IllegalArgumentException("member address '" + address + "': write an IPv6 address in brackets, e.g. [::1]:5701");
            }
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        int number = ClusterOptions.DEFAULT_PORT;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("member address '" + address + "': port '" + port + "' is not a number");
            }
        }
        return new MemberAddress(host, number);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
