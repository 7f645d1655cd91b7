package io.warpsentinel.cloudflare;

/**
 * One WARP registration as the API sent it. Every field is the raw text received (timestamps
 * included), so a report shows exactly what Cloudflare said even when a value is malformed.
 * Any field may be null: {@code user} and {@code client_version} are often absent, and a broken
 * record may lack anything. {@code policyName} is
 * only sent when the request asks for {@code include=policy}. {@code defect} names what made the record unreadable, if anything.
 */
public record Registration(
        String id,
        String deviceId,
        String deviceName,
        String clientVersion,
        String userId,
        String userEmail,
        String userName,
        String lastSeenAt,
        String revokedAt,
        String keyType,
        String tunnelType,
        String policyName,
        String defect) {

    static Registration unreadable(String defect) {
        return new Registration(null, null, null, null, null, null, null, null, null, null, null, null, defect);
    }
}
