package dev.mailtrail.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values read from a Prometheus scrape (the text exposition format). */
final class Scrape {

    private Scrape() {}

    /** The sum of every series of the meter {@code name} (all tag combinations); NaN when there is none. */
    static double sum(String scrape, String name) {
        if (scrape == null) {
            return Double.NaN;
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.Ee+-]+)$")
                .matcher(scrape);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        return found ? sum : Double.NaN;
    }
}
