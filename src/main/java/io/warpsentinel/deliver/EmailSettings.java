package io.warpsentinel.deliver;

import static io.warpsentinel.settings.SettingGroup.EMAIL;

import io.warpsentinel.http.Hosts;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;

/** The e-mail channel and the relay it sends through (owner notices use the same relay). */
public record EmailSettings(boolean enabled, String host, int port, String security, String sslTrust, String username, String password,
                            String from, List<String> to, List<String> cc, boolean onlyWithFindings, int attachCsvMaxBytes, int timeout) {

    public static final Setting<Boolean> ENABLED = EMAIL.flag("sentinel.email.enabled", "false",
            "`true`: e-mail each account's report (HTML body, plain-text alternative, CSV attached).");
    public static final Setting<String> HOST = EMAIL.required("sentinel.email.host", "localhost", "SMTP server.");
    public static final Setting<Integer> PORT = EMAIL.count("sentinel.email.port", "587", 1, "SMTP port: 587 for STARTTLS, 465 for SMTPS, 25 for none.");
    public static final Setting<String> SECURITY = EMAIL.choice("sentinel.email.security", "starttls",
            "Transport security: starttls (required, not merely tried), smtps (TLS from the first byte) or none (refused with a "
                    + "username unless the relay is on this host: the password would cross the network in clear).",
            "starttls", "smtps", "none");
    public static final Setting<String> SSL_TRUST = EMAIL.text("sentinel.email.ssl-trust", "",
            "Hosts whose TLS certificate is trusted without validation, e.g. a relay with a self-signed certificate (`*` trusts "
                    + "all); empty: validate, and check the server's name.");
    public static final Setting<String> USERNAME = EMAIL.text("sentinel.email.username", "", "SMTP user; empty: no authentication.");
    public static final Setting<String> PASSWORD = EMAIL.text("sentinel.email.password", "",
            "SMTP password; set it through SENTINEL_EMAIL_PASSWORD, never in a file.").secret(Setting.Secret.WHOLE);
    public static final Setting<String> FROM = EMAIL.required("sentinel.email.from", "warp-sentinel@localhost", "Sender address.");
    public static final Setting<List<String>> TO = EMAIL.list("sentinel.email.to", "",
            "Recipients, comma-separated; required when e-mail is on.");
    public static final Setting<List<String>> CC = EMAIL.list("sentinel.email.cc", "", "Copy recipients, comma-separated.");
    public static final Setting<Boolean> ONLY_WITH_FINDINGS = EMAIL.flag("sentinel.email.only-with-findings", "false",
            "`true`: send only when there are findings (the reports are still written every run).");
    public static final Setting<Integer> ATTACH_CSV_MAX_BYTES = EMAIL.count("sentinel.email.attach-csv-max-bytes", "10485760", 0,
            "Attach the CSV only up to this size in bytes; a larger one is named in the message instead.");
    public static final Setting<Integer> TIMEOUT = EMAIL.count("sentinel.email.timeout", "30000", 1,
            "SMTP connect, read and write timeout, milliseconds.");

    public static final List<Setting<?>> ALL = List.of(ENABLED, HOST, PORT, SECURITY, SSL_TRUST, USERNAME, PASSWORD, FROM, TO, CC,
            ONLY_WITH_FINDINGS, ATTACH_CSV_MAX_BYTES, TIMEOUT);

    public static EmailSettings read(SettingsSource source) {
        EmailSettings email = new EmailSettings(ENABLED.read(source), HOST.read(source), PORT.read(source), SECURITY.read(source),
                SSL_TRUST.read(source), USERNAME.read(source), PASSWORD.read(source), FROM.read(source), TO.read(source), CC.read(source),
                ONLY_WITH_FINDINGS.read(source), ATTACH_CSV_MAX_BYTES.read(source), TIMEOUT.read(source));
        if (email.enabled && email.to.isEmpty()) {
            throw new SettingException("sentinel.email.to is not set: name who receives the reports (comma-separated), "
                    + "or set sentinel.email.enabled=false");
        }
        return email;
    }

    /** @param timeZone the dates' time zone in the message (sentinel.time-zone) */
    public EmailMessages messages(ZoneId timeZone) {
        return new EmailMessages(enabled, onlyWithFindings, from, String.join(", ", to), String.join(", ", cc), attachCsvMaxBytes, timeZone);
    }

    /**
     * The mail session camel-mail sends with: STARTTLS (required, not merely tried), implicit TLS
     * (SMTPS) or none; server identity checked; AUTH only when a username is set.
     */
    public Session session() {
        if (security.equals("none") && !username.isEmpty() && !Hosts.isLoopback(host)) {
            throw new SettingException("sentinel.email.security=none with sentinel.email.username would send the SMTP password in clear "
                    + "to " + host + "; use starttls or smtps, or a relay on this host (localhost)");
        }
        String millis = String.valueOf(timeout);
        Properties mail = new Properties();
        mail.put("mail.smtp.host", host);
        mail.put("mail.smtp.port", String.valueOf(port));
        mail.put("mail.smtp.connectiontimeout", millis);
        mail.put("mail.smtp.timeout", millis);
        mail.put("mail.smtp.writetimeout", millis);
        mail.put("mail.smtp.ssl.enable", String.valueOf(security.equals("smtps")));
        mail.put("mail.smtp.starttls.enable", String.valueOf(security.equals("starttls")));
        mail.put("mail.smtp.starttls.required", String.valueOf(security.equals("starttls")));
        // A certificate trusted without validation (ssl-trust) has no identity worth checking
        // either; otherwise the server's name must match its certificate.
        if (!sslTrust.isEmpty()) {
            mail.put("mail.smtp.ssl.trust", sslTrust);
        }
        mail.put("mail.smtp.ssl.checkserveridentity", String.valueOf(sslTrust.isEmpty()));
        mail.put("mail.smtp.auth", String.valueOf(!username.isEmpty()));
        return Session.getInstance(mail, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(username, password);
            }
        });
    }

    /** The relay as a validation names it, e.g. "smtp.example.com:587 over STARTTLS, logged in as mailer". */
    public String relay() {
        String over = switch (security) {
            case "starttls" -> "STARTTLS";
            case "smtps" -> "TLS";
            default -> "no encryption";
        };
        return host + ":" + port + " over " + over + (username.isEmpty() ? "" : ", logged in as " + username);
    }

    /** Never printed: the password is a secret. */
    @Override
    public String toString() {
        return "EmailSettings[" + host + ":" + port + ", " + security + "]";
    }
}
