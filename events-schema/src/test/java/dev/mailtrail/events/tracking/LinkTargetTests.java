package dev.mailtrail.events.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkTargetTests {

    @Test
    void theFiveLinksThatDiedKeepEverythingButTheSpace() {
        assertThat(LinkTarget.location("https://example.com/a b")).isEqualTo("https://example.com/a%20b");
        assertThat(LinkTarget.location("https://example.com/?q=a|b")).isEqualTo("https://example.com/?q=a|b");
        assertThat(LinkTarget.location("https://example.com/{id}/view")).isEqualTo("https://example.com/{id}/view");
        assertThat(LinkTarget.location("https://example.com/p%zz")).isEqualTo("https://example.com/p%zz");
        String long_ = "https://example.com/r?" + "k=v&".repeat(900);
        assertThat(LinkTarget.location(long_)).isEqualTo(long_);
    }

    @Test
    void nonAsciiIsUtf8PercentEncodedAndExistingEscapesAndReservedCharactersStay() {
        assertThat(LinkTarget.location("https://bücher.example/straße?q=日本#é"))
                .isEqualTo("https://b%C3%BCcher.example/stra%C3%9Fe?q=%E6%97%A5%E6%9C%AC#%C3%A9");
        assertThat(LinkTarget.location("https://x.test/%20%2F%%25\"<>\\^`'[]@!$&()*+,;=:~"))
                .isEqualTo("https://x.test/%20%2F%%25\"<>\\^`'[]@!$&()*+,;=:~");
        assertThat(LinkTarget.location("https://x.test/\uD83D\uDE00")).isEqualTo("https://x.test/%F0%9F%98%80");
    }

    @Test
    void controlsAreEncodedWhileWhatBrowsersDropIsDropped() {
        assertThat(LinkTarget.location(" \t https://x.test/a\r\n/b\tc\u0001\u007F\u00A0 \n"))
                .isEqualTo("https://x.test/a/bc%01%7F%C2%A0");
        assertThat(LinkTarget.followed("\u0000 https://x.test/a b\n ")).isEqualTo("https://x.test/a b");
    }

    @Test
    void anUnpairedSurrogateIsReadAsTheReplacementCharacter() {
        assertThat(LinkTarget.location("https://x.test/\uD800x")).isEqualTo("https://x.test/%EF%BF%BDx");
    }

    @Test
    void onlyAbsoluteHttpLinksAreWeb() {
        assertThat(LinkTarget.isWeb("  HTTPS://x.test")).isTrue();
        assertThat(LinkTarget.isWeb("ht\ntp://x.test")).isTrue();
        assertThat(LinkTarget.isWeb("http://")).isTrue();
        for (String other : new String[] {
            "mailto:a@x.test",
            "tel:+1555",
            "#top",
            "/relative",
            "x.test/a",
            "javascript:alert(1)",
            "*|UNSUB|*",
            "",
            "https:x.test",
            "ftp://x.test"
        }) {
            assertThat(LinkTarget.isWeb(other)).as(other).isFalse();
        }
    }
}
