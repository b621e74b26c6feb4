package io.skyrun.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Every host here is a literal address, localhost or a refused-by-name metadata host: nothing leaves this machine.
class OutboundGuardTest {

    private final OutboundGuard guard = new OutboundGuard(false);

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {
            "http://127.0.0.1/",
            "http://127.8.9.10/",
            "http://0.0.0.0/",
            "http://0.1.2.3/",
            "http://10.0.0.1/",
            "http://172.16.0.1/",
            "http://172.31.255.255/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://169.254.1.1/",
            "http://100.64.0.1/",
            "http://100.127.255.254/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://[::1]/",
            "http://[::]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://[fd00::1]/",
            "http://[ff02::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:10.0.0.1]/",
            "http://[::10.0.0.1]/",
            "http://[64:ff9b::10.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:c0a8:0101::1]/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://METADATA.google.internal./",
            "https://metadata/",
    })
    void privateLoopbackLinkLocalMetadataAndMappedAddressesAreRefused(String url) {
        // GIVEN a guard that does not allow private addresses
        // WHEN the URL is checked
        // THEN it is refused
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageStartingWith("refused to call ")
                .hasMessageContaining("SKYRUN_OUTBOUND_ALLOW_PRIVATE=true");
    }

    @Test
    void aPrivateLiteralIsRefusedWithAMessageNamingTheAddressAndTheSwitch() {
        // GIVEN a guard that does not allow private addresses
        // WHEN a private literal is checked
        // THEN the message names the address, the reason and how to allow it
        assertThatThrownBy(() -> guard.check(URI.create("http://10.0.0.1/x")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessage("refused to call 10.0.0.1: private address (set SKYRUN_OUTBOUND_ALLOW_PRIVATE=true to allow)");
    }

    @Test
    void aPublicIpv4LiteralIsAcceptedWithoutConnecting() throws Exception {
        // GIVEN a public IPv4 literal
        URI uri = URI.create("https://93.184.216.34/page");

        // WHEN it is checked
        List<InetAddress> checked = guard.check(uri);

        // THEN the address is returned and is not private
        assertThat(checked).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
        assertThat(OutboundGuard.isPrivate(checked.get(0))).isFalse();
    }

    @Test
    void aPublicIpv6LiteralIsAcceptedWithoutConnecting() throws Exception {
        // GIVEN a public IPv6 literal
        URI uri = URI.create("https://[2606:4700::1]/");

        // WHEN it is checked
        List<InetAddress> checked = guard.check(uri);

        // THEN the address is returned and is not private
        assertThat(checked).containsExactly(InetAddress.getByName("2606:4700::1"));
        assertThat(OutboundGuard.isPrivate(checked.get(0))).isFalse();
    }

    @Test
    void aPublicAddressInsideNat64IsNotPrivate() throws Exception {
        // GIVEN a NAT64 address embedding the public 93.184.216.34
        InetAddress address = InetAddress.getByName("64:ff9b::5db8:d822");

        // WHEN it is classified
        // THEN it is not private
        assertThat(OutboundGuard.isPrivate(address)).isFalse();
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"ftp://x", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)", "/relative"})
    void schemesOtherThanHttpAndHttpsAreRefused(String url) {
        // GIVEN a URL that is not http or https
        // WHEN it is checked
        // THEN it is refused for its scheme
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageEndingWith("only http and https are allowed");
    }

    @Test
    void theSchemeRefusalNamesTheUrl() {
        // GIVEN an ftp URL
        // WHEN it is checked
        // THEN the message names it
        assertThatThrownBy(() -> guard.check(URI.create("ftp://x")))
                .hasMessage("refused to call ftp://x: only http and https are allowed");
    }

    @Test
    void userInfoIsRefusedWithoutRepeatingTheCredentials() {
        // GIVEN a URL carrying credentials
        URI uri = URI.create("https://alice:s3cret@93.184.216.34/");

        // WHEN it is checked
        // THEN it is refused and the password does not appear in the message
        assertThatThrownBy(() -> guard.check(uri))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aUrlWithoutHostIsRefused() {
        // GIVEN an http URL with no host
        // WHEN it is checked
        // THEN it is refused
        assertThatThrownBy(() -> guard.check(URI.create("http:///path")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("missing host");
    }

    @Test
    void allowPrivateLetsLoopbackPass() throws Exception {
        // GIVEN a guard that allows private addresses
        OutboundGuard permissive = new OutboundGuard(true);

        // WHEN loopback is checked
        List<InetAddress> checked = permissive.check(URI.create("http://127.0.0.1:8080/"));

        // THEN it passes
        assertThat(permissive.allowsPrivate()).isTrue();
        assertThat(checked).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
    }

    @Test
    void localhostIsRefusedByDefault() {
        // GIVEN the default guard
        // WHEN localhost is checked
        // THEN it is refused because it resolves to loopback
        assertThatThrownBy(() -> guard.check(URI.create("http://localhost:8080/")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("refused to call localhost: resolves to private address");
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsPrivate() {
        // GIVEN a name resolving to a public and a private address
        OutboundGuard split = new OutboundGuard(false) {
            @Override
            protected InetAddress[] resolve(String host) throws UnknownHostException {
                return new InetAddress[] {
                        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")};
            }
        };

        // WHEN it is checked
        // THEN it is refused, naming the private address
        assertThatThrownBy(() -> split.check(URI.create("https://mixed.example/")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("10.1.2.3");
    }

    @Test
    void anUnresolvableHostIsRefused() {
        // GIVEN a name that does not resolve
        OutboundGuard unresolvable = new OutboundGuard(false) {
            @Override
            protected InetAddress[] resolve(String host) throws UnknownHostException {
                throw new UnknownHostException(host);
            }
        };

        // WHEN it is checked
        // THEN it is refused as unresolvable
        assertThatThrownBy(() -> unresolvable.check(URI.create("https://nowhere.example/")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessage("refused to call nowhere.example: cannot resolve host");
    }

    @Test
    void metadataNamesAreRefusedWithoutBeingResolved() {
        // GIVEN a guard that records every resolution
        List<String> resolved = new ArrayList<>();
        OutboundGuard recording = new OutboundGuard(false) {
            @Override
            protected InetAddress[] resolve(String host) throws UnknownHostException {
                resolved.add(host);
                return super.resolve(host);
            }
        };

        // WHEN a metadata name is checked
        // THEN it is refused and nothing was resolved
        assertThatThrownBy(() -> recording.check(URI.create("http://metadata.google.internal/")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("metadata");
        assertThat(resolved).isEmpty();
    }
}
