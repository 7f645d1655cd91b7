package io.warpsentinel.state;

import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import java.time.Instant;

/**
 * A registration listed now whose device and user are those of a registration warp-sentinel
 * revoked or deleted, created after that action: the device enrolled again after its removal
 * (the report's {@code re_enrolled} section).
 *
 * @param registration          the registration enrolled again, as listed now
 * @param removedRegistrationId the registration warp-sentinel removed
 * @param action                what it did last before this one was created: revoke or delete
 * @param removedAt             when (the start of the scan that did it)
 */
public record ReEnrolment(Registration registration, String removedRegistrationId, Action action, Instant removedAt) {
}
