package io.gridsync.server.cors;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Origin headers a write key's allowed origins let through. */
class AllowedOriginsTest {

    @Test
    void originsMatchBySchemeHostAndPortAndWildcardsBySubdomain() {
        AllowedOrigins a = AllowedOrigins.parse(List.of("https://shop.example", "https://*.shop.example", "http://localhost:5173"));
        assertThat(a.allows("https://shop.example")).isTrue();
        assertThat(a.allows("https://SHOP.example:443")).isTrue();
        assertThat(a.allows("https://www.shop.example")).isTrue();
        assertThat(a.allows("https://a.b.shop.example")).isTrue();
        assertThat(a.allows("http://shop.example")).isFalse(); // another scheme
        assertThat(a.allows("https://shop.example:8443")).isFalse(); // another port
        assertThat(a.allows("https://evilshop.example")).isFalse(); // not a subdomain
        assertThat(a.allows("https://shop.example.evil.example")).isFalse();
        assertThat(a.allows("http://localhost:5173")).isTrue();
        assertThat(a.allows("null")).isFalse(); // a sandboxed frame or a file: only "*" lets it through
        assertThat(AllowedOrigins.ANY.allows("null")).isTrue();
        assertThat(AllowedOrigins.parse(List.of()).allows("https://shop.example")).isFalse(); // servers only
    }

    @Test
    void whatIsNotAnOriginIsRefusedNamingIt() {
        for (String bad : List.of("shop.example", "https://shop.example/", "ftp://shop.example", "https://shop.example?x=1", "")) {
            assertThatThrownBy(() -> AllowedOrigins.parse(List.of(bad))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("origin");
        }
        assertThat(AllowedOrigins.parse(List.of("HTTPS://Shop.Example:443", "https://shop.example")).entries())
                .containsExactly("https://shop.example");
    }
}
