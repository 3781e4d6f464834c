package com.airtableintegrity.airtable;

import com.airtableintegrity.run.SitedFailure;

/** Scanning a table failed for good; the message names the table, the page and the cause, and never the token. */
public class AirtableException extends RuntimeException implements SitedFailure {
    public AirtableException(String message) {
        super(message, null, false, false);
    }
}
