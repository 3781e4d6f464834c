package com.airtableintegrity.airtable;

import java.io.IOException;

/** An Airtable answer went past {@code integrity.airtable.max-page-bytes}; reading stopped there. */
public final class PageTooLargeException extends IOException {
    private final long limit;

    public PageTooLargeException(long limit) {
        super("the answer is larger than the limit of " + limit + " bytes (integrity.airtable.max-page-bytes)");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
