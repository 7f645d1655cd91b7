/**
 * An account's reports: where they go and how they get there (ReportFiles), the CSV and JSON
 * written while pages stream (ReportWriter) with the columns declared once (ReportColumn), the
 * immutable summary the HTML page, messages and history read (ReportSummary), the HTML page
 * (HtmlReport) and its findings table (FindingsTable), and every sentence about it (Wording).
 */
package io.warpsentinel.report;
