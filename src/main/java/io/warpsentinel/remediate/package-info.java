/**
 * Acting on what a scan found ({@code sentinel.remediate.*}): the plan fed as the pages stream
 * through, the re-check and the write calls, the audit file. Uses the Cloudflare calls, the
 * finding state (which remembers what was done) and the metrics; the reports only see the
 * outcome, a {@link io.warpsentinel.finding.Remediation}.
 */
package io.warpsentinel.remediate;
