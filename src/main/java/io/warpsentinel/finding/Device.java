package io.warpsentinel.finding;

/**
 * What Cloudflare's inventory of physical devices says of the device a registration runs on
 * (API-NOTES.md, "Physical devices"): its platform and the machine an admin must find. Every
 * field is the text received, any may be null.
 *
 * @param id                  the device's id, the {@code device.id} of its registrations
 * @param deviceType          windows, mac, linux, android, ios, chromeos...
 * @param lastSeenAt          the device's last contact through any of its registrations
 * @param activeRegistrations how many of its registrations are neither revoked nor deleted, as sent
 */
public record Device(String id, String deviceType, String osVersion, String manufacturer, String model, String serialNumber,
                     String lastSeenAt, String activeRegistrations) {
}
