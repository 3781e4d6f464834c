package com.airtableintegrity.run;

/** Where in a run a failure happened: the table and page being read, so the run's error message can name them. */
public interface FailureSite {
    String table();

    /** 1-based number of the page being fetched. */
    long pageNumber();

    /** Records the failure on the table's result. */
    void failed(String message);

    /** "table 'X' page N". */
    default String where() {
        return "table '" + table() + "' page " + pageNumber();
    }
}
