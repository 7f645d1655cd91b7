/**
 * The finding state: what each account's last complete scan found (file or PostgreSQL store),
 * compared with this scan as registrations stream through (new, still, recovered, gone), and
 * when a finding is due an alert or an owner notice. What a stored finding holds after a scan
 * is decided once ({@code AccountState}); both stores only read and write its rows
 * ({@code StoredFinding}). Declares what it needs of a published report
 * ({@code PublishedFindings}); knows nothing of the report's formats.
 */
package io.warpsentinel.state;
