/**
 * Delivering a published report: e-mail, webhooks (json, Slack, Teams; signed), owner notices,
 * retries and dead letters.
 */
package io.warpsentinel.deliver;
