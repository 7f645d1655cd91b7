package io.warpsentinel.finding;

/**
 * One WARP registration as the API sent it. Every field is the text received (timestamps
 * included), so a report shows what Cloudflare said even when a value is malformed; only text
 * that no report could hold is changed, and {@code remark} says so (characters that are not
 * valid Unicode replaced by U+FFFD, a value of thousands of characters cut). Any field may be
 * null: {@code user} and {@code client_version} are often absent, and a broken record may lack
 * anything. {@code policyName} is only sent when the request asks for {@code include=policy}.
 * {@code defect} names what makes the record impossible to judge (no id, a timestamp that is
 * not a string, a field given twice), if anything.
 */
public record Registration(
        String id,
        String deviceId,
        String deviceName,
        String clientVersion,
        String userId,
        String userEmail,
        String userName,
        String createdAt,
        String lastSeenAt,
        String revokedAt,
        String keyType,
        String tunnelType,
        String policyName,
        String defect,
        String remark) {

    /**
     * Enrolled with a service token (API-NOTES.md): no user at all, or a user whose e-mail starts
     * with {@code non_identity@}. Such a registration has no person to notify.
     */
    public boolean isServiceToken() {
        return userId == null && userEmail == null && userName == null
                || userEmail != null && userEmail.regionMatches(true, 0, "non_identity@", 0, "non_identity@".length());
    }

    public static Registration unreadable(String defect) {
        return new Registration(null, null, null, null, null, null, null, null, null, null, null, null, null, defect, null);
    }
}
