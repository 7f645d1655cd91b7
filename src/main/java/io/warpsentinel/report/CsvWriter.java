package io.warpsentinel.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * CSV as RFC 4180 writes it, for spreadsheets: a value is quoted when it holds the separator, a
 * quote, a carriage return or a line feed (any one of them: a bare CR splits a row in Excel as
 * surely as a LF does) or begins or ends with a space, and quotes inside are doubled. With the
 * formula guard on, a value that a spreadsheet would run as a formula (it begins with
 * {@code = + - @}, a tab or a CR) gets a leading {@code '}, as OWASP advises: device names are
 * chosen by whoever enrols a device, and the CSV is mailed to admins.
 */
final class CsvWriter implements Closeable {

    private final Writer out;
    private final boolean formulaGuard;
    // a row is built here and written at its end: one call to the Writer (which takes a lock on
    // every call) instead of one per character
    private final StringBuilder row = new StringBuilder(256);
    // the row's characters handed to the Writer without a String made of them
    private char[] chars = new char[256];
    private boolean rowStarted;

    CsvWriter(Writer out, boolean formulaGuard) {
        this.out = out;
        this.formulaGuard = formulaGuard;
    }

    /** A text cell; null is written as an empty cell. */
    void cell(String value) {
        separate();
        if (value == null || value.isEmpty()) {
            return;
        }
        String text = formulaGuard && startsAFormula(value) ? "'" + value : value;
        if (!needsQuotes(text)) {
            row.append(text);
            return;
        }
        row.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                row.append('"');
            }
            row.append(c);
        }
        row.append('"');
    }

    void cell(long value) {
        separate();
        row.append(value);
    }

    void endRow() throws IOException {
        row.append('\n');
        if (chars.length < row.length()) {
            chars = new char[row.capacity()];
        }
        row.getChars(0, row.length(), chars, 0);
        out.write(chars, 0, row.length());
        row.setLength(0);
        rowStarted = false;
    }

    private void separate() {
        if (rowStarted) {
            row.append(',');
        }
        rowStarted = true;
    }

    static boolean startsAFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }

    private static boolean needsQuotes(String value) {
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
