package dev.mailtrail.send.query;

import dev.mailtrail.send.web.ProblemException.FieldError;
import java.util.List;
import java.util.function.Predicate;

/** A page's {@code limit} and {@code cursor} as a caller sent them, read and checked the same way on every route. */
record PageRequest(int limit, PageCursor after) {

    static final int MAX_LIMIT = 500;

    /**
     * The request, or each bad parameter named in {@code errors} (then the answer is not to be used). {@code ids}: what
     * the route's cursors can end at (an activity id, an event id).
     */
    static PageRequest of(
            Integer limit, String cursor, int defaultLimit, Predicate<String> ids, List<FieldError> errors) {
        int size = limit == null ? defaultLimit : limit;
        if (size < 1 || size > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        PageCursor after = null;
        if (cursor != null) {
            after = PageCursor.decode(cursor).filter(c -> ids.test(c.id())).orElse(null);
            if (after == null) {
                errors.add(new FieldError("cursor", "is not a cursor this API returned"));
            }
        }
        return new PageRequest(size, after);
    }
}
