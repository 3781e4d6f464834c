package com.airtableintegrity.run;

/** A failure whose message already names its table and page, so the error handler adds nothing to it. */
public interface SitedFailure {
}
