package dev.mailtrail.send.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** No spelling of a path lets the router reach a CRM route the token filter did not guard. */
class ProtectedPathProperties {

    /** What the router serves under the CRM API, read the router's way. */
    static final PathPattern CRM_ROUTES = PathPatternParser.defaultInstance.parse("/api/crm/**");

    /** Segment spellings that confuse naive prefix checks: encodings, parameters, empty, dot and slash pieces. */
    static final List<String> PIECES = List.of(
            "api",
            "crm",
            "API",
            "Crm",
            "%61pi",
            "cr%6D",
            "cr%6d",
            "%63%72%6d",
            "cr%256D",
            "api;x=1",
            "crm;jsessionid=1",
            "",
            ".",
            "..",
            "%2e",
            "%2E%2E",
            "api%2Fcrm",
            "%2F",
            "activities",
            "ui",
            "x");

    @Property(tries = 2000)
    void whateverTheRouterReadsAsACrmRouteIsGuarded(@ForAll("paths") String raw) {
        RequestPath path = RequestPath.parse(raw, null);

        if (CRM_ROUTES.matches(path.pathWithinApplication())) {
            assertThat(ApiTokenFilter.isProtected(path)).as(raw).isTrue();
        }
    }

    @Property(tries = 500)
    void anyDisguiseOfACrmPathIsGuarded(@ForAll("disguised") String raw) {
        assertThat(ApiTokenFilter.isProtected(RequestPath.parse(raw, null)))
                .as(raw)
                .isTrue();
    }

    @Example
    void pathsOutsideTheApiAreNot() {
        for (String raw : new String[] {
            "/",
            "/ui/config",
            "/index.html",
            "/v3/api-docs",
            "/swagger-ui.html",
            "/api/cr%256D/activities",
            "/api/x/../../ui/config",
            "/apicrm/x",
            "/api",
            "/crm/api/x"
        }) {
            assertThat(ApiTokenFilter.isProtected(RequestPath.parse(raw, null)))
                    .as(raw)
                    .isFalse();
        }
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(6).map(pieces -> "/" + String.join("/", pieces));
    }

    /** {@code /api/crm/activities}, each character maybe percent-encoded, with empty, dot and undone segments. */
    @Provide
    Arbitrary<String> disguised() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            List<String> segments = new ArrayList<>();
            for (String segment : List.of("api", "crm", "activities")) {
                switch (random.nextInt(4)) {
                    case 0 -> segments.add("");
                    case 1 -> segments.add(".");
                    case 2 -> segments.addAll(List.of("x" + random.nextInt(9), ".."));
                    default -> {}
                }
                StringBuilder spelled = new StringBuilder();
                for (char c : segment.toCharArray()) {
                    String hex = String.format("%%%02X", (int) c);
                    spelled.append(
                            random.nextBoolean()
                                    ? String.valueOf(c)
                                    : random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
                }
                segments.add(spelled + (random.nextInt(4) == 0 ? ";jsessionid=" + random.nextInt(99) : ""));
            }
            return "/" + String.join("/", segments);
        });
    }
}
