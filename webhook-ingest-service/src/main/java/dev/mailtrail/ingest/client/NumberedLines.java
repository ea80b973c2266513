package dev.mailtrail.ingest.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A configured file's lines (UTF-8), numbered from 1, so that a bad one can be named. */
final class NumberedLines {

    interface Line {
        void accept(int number, String text);
    }

    private NumberedLines() {}

    static void read(InputStream in, String source, Line each) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                each.accept(++number, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }
}
