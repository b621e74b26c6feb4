package io.skyrun.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Decides whether a URL may be called from here, so that user-supplied URLs cannot reach internal services. */
public class OutboundGuard {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundGuard.class);

    private static final String ALLOW_HINT = "(set SKYRUN_OUTBOUND_ALLOW_PRIVATE=true to allow)";

    // Refused by name without resolving: the name alone is enough, and looking it up would leak the attempt to DNS.
    private static final Set<String> METADATA_HOSTS = Set.of(
            "metadata.google.internal",
            "metadata.goog",
            "metadata",
            "instance-data",
            "instance-data.ec2.internal");

    private final boolean allowPrivate;

    public OutboundGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * Checks the URI and every address its host resolves to.
     *
     * @return the addresses that were checked, all of them permitted
     * @throws OutboundRefused if the URI or any of its addresses may not be called
     */
    public List<InetAddress> check(URI uri) throws OutboundRefused {
        if (uri == null) {
            throw new OutboundRefused("refused to call a missing URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw refused(redacted(uri), "only http and https are allowed");
        }
        // getRawAuthority catches authorities java.net.URI could not split into user-info/host/port.
        if (uri.getRawUserInfo() != null || (uri.getHost() == null && uri.getRawAuthority() != null
                && uri.getRawAuthority().contains("@"))) {
            throw refused(redacted(uri), "credentials in the URL are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused(redacted(uri), "missing host");
        }
        host = bare(host);
        if (!allowPrivate && METADATA_HOSTS.contains(host)) {
            throw refused(host, "cloud metadata host " + ALLOW_HINT);
        }
        InetAddress[] addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            throw new OutboundRefused("refused to call " + host + ": cannot resolve host", e);
        }
        if (addresses == null || addresses.length == 0) {
            throw refused(host, "cannot resolve host");
        }
        // Every address must pass, not just the first: the client may pick any of them when it connects.
        for (InetAddress address : addresses) {
            if (!permitted(address)) {
                String why = isLiteral(host)
                        ? "private address " + ALLOW_HINT
                        : "resolves to private address " + address.getHostAddress() + " " + ALLOW_HINT;
                throw refused(host, why);
            }
        }
        return List.of(addresses);
    }

    /** Whether a resolved address may be called; tests narrow or widen this without touching real networks. */
    protected boolean permitted(InetAddress address) {
        return allowPrivate || !isPrivate(address);
    }

    /** Resolves a host name; overridable so tests can simulate resolution without DNS traffic. */
    protected InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }

    /** True for any address that is not a routable public unicast address. */
    public static boolean isPrivate(InetAddress address) {
        if (address == null) {
            return true;
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPrivateV4(b);
        }
        if (address instanceof Inet6Address) {
            return isPrivateV6(b);
        }
        return true;
    }

    private static boolean isPrivateV4(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        return b0 == 0                                   // "this network", 0.0.0.0/8
                || b0 == 10                              // 10/8
                || b0 == 127                             // loopback 127/8
                || (b0 == 100 && (b1 & 0xc0) == 64)     // carrier-grade NAT 100.64/10
                || (b0 == 169 && b1 == 254)              // link-local incl. cloud metadata
                || (b0 == 172 && (b1 & 0xf0) == 16)      // 172.16/12
                || (b0 == 192 && b1 == 168)              // 192.168/16
                || b0 >= 224;                            // multicast, reserved 240/4 and broadcast
    }

    private static boolean isPrivateV6(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {                        // unique-local fc00::/7
            return true;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {          // link-local fe80::/10
            return true;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {          // deprecated site-local fec0::/10
            return true;
        }
        if (b0 == 0xff) {                                 // multicast
            return true;
        }
        // Forms that carry an IPv4 address inside are judged by that IPv4 address.
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {   // ::ffff:a.b.c.d
            return isPrivateV4(tail(b, 12));
        }
        if (allZero(b, 0, 12)) {                          // ::a.b.c.d, also :: and ::1
            return isPrivateV4(tail(b, 12));
        }
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {                      // NAT64 64:ff9b::/96
                return isPrivateV4(tail(b, 12));
            }
            return (b[4] & 0xff) == 0 && (b[5] & 0xff) == 1;   // local-use NAT64 64:ff9b:1::/48
        }
        if (b0 == 0x20 && b1 == 0x02) {                   // 6to4 2002::/16 embeds the IPv4 address next
            return isPrivateV4(new byte[] {b[2], b[3], b[4], b[5]});
        }
        return false;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        // A trailing dot names the same host and must not slip past the metadata names.
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    // Refusal messages end up in logs and agent transcripts, so they never repeat credentials or query strings.
    private static String redacted(URI uri) {
        if (uri.getScheme() == null) {
            return uri.getHost() != null ? uri.getHost() : "a URL without a scheme";
        }
        if (uri.isOpaque()) {
            return uri.getScheme() + ":...";
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://...";
        }
    }

    private static OutboundRefused refused(String target, String why) {
        LOG.debug("refused to call {}: {}", target, why);
        return new OutboundRefused("refused to call " + target + ": " + why);
    }
}
