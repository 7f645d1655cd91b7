/**
 * An account's reports: where they go and how they get there (ReportFiles), the CSV and JSON
 * written while pages stream (ReportWriter), the immutable summary the HTML page, messages and
 * history read (ReportSummary), and every sentence about it (Wording).
 */
package io.warpsentinel.report;
