/**
 * The finding state: what each account's last complete scan found (file or PostgreSQL store),
 * compared with this scan as registrations stream through (new, still, recovered, gone), and
 * when a finding is due an alert or an owner notice. Declares what it needs of a published
 * report ({@code PublishedFindings}); knows nothing of the report's formats.
 */
package io.warpsentinel.state;
