package io.warpsentinel.classify;

import io.warpsentinel.finding.Registration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Registrations that are never findings (kiosks, lab machines, service-token enrolments): by the
 * user's e-mail (globs), the device's name (one regular expression, whole name), the registration
 * id, or the device policy's name (globs). An excluded registration is still classified, counted
 * and listed in the report's "excluded" section with the rule that matched: never dropped.
 */
public final class Exclusions {

    private final List<Glob> userEmails;
    private final Pattern deviceNames;
    private final Set<String> registrationIds;
    private final List<Glob> policyNames;

    /**
     * @param deviceNames a regular expression matched against the whole device name, or blank
     * @throws IllegalArgumentException when the expression does not compile
     */
    /** @param deviceNames matched against the whole device name, or null */
    public Exclusions(List<String> userEmailGlobs, Pattern deviceNames, List<String> registrationIds, List<String> policyNameGlobs) {
        this.userEmails = userEmailGlobs.stream().map(Glob::new).toList();
        this.deviceNames = deviceNames;
        this.registrationIds = Set.copyOf(registrationIds);
        this.policyNames = policyNameGlobs.stream().map(Glob::new).toList();
    }

    /**
     * A device-name rule: null when blank.
     *
     * @throws IllegalArgumentException saying why, when it is not a regular expression
     */
    public static Pattern deviceNamePattern(String regex) {
        try {
            return regex == null || regex.isBlank() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " near position " + e.getIndex());
        }
    }

    public static Exclusions none() {
        return new Exclusions(List.of(), null, List.of(), List.of());
    }

    /** Policy names arrive only when the request asks for them ({@code include=policy}). */
    public boolean needsPolicy() {
        return !policyNames.isEmpty();
    }

    /** The rule that excludes this registration, as the report prints it, or null. */
    public String ruleFor(Registration registration) {
        if (registration.id() != null && registrationIds.contains(registration.id())) {
            return "registration-id";
        }
        String byUser = firstMatch("user-email", userEmails, registration.userEmail());
        if (byUser != null) {
            return byUser;
        }
        if (deviceNames != null && registration.deviceName() != null && deviceNames.matcher(registration.deviceName()).matches()) {
            return "device-name";
        }
        return firstMatch("policy-name", policyNames, registration.policyName());
    }

    /** "rule glob" for the first glob that matches the value, or null. */
    private static String firstMatch(String rule, List<Glob> globs, String value) {
        if (value != null) {
            for (Glob glob : globs) {
                if (glob.matches(value)) {
                    return rule + " " + glob.text();
                }
            }
        }
        return null;
    }

    /**
     * {@code *} any run of characters, {@code ?} one character, the rest literally; case-insensitive.
     * Matched by the greedy two-pointer walk, never by a regular expression: the value comes from
     * whoever enrolled a device, and {@code *a*a*a} against a long address made the regex
     * engine backtrack for seconds. This walk backtracks only to the last star: at most pattern
     * length times value length steps, linear in the value for a given pattern.
     */
    private record Glob(String text) {

        boolean matches(String value) {
            int p = 0;
            int v = 0;
            int star = -1;
            int resume = 0;
            while (v < value.length()) {
                // a star first: a '*' in the value (legal in an address) must not be taken for the pattern's
                if (p < text.length() && text.charAt(p) == '*') {
                    star = p++;
                    resume = v;
                } else if (p < text.length() && (text.charAt(p) == '?' || sameLetter(text.charAt(p), value.charAt(v)))) {
                    p++;
                    v++;
                } else if (star >= 0) {
                    p = star + 1;
                    v = ++resume;
                } else {
                    return false;
                }
            }
            while (p < text.length() && text.charAt(p) == '*') {
                p++;
            }
            return p == text.length();
        }

        private static boolean sameLetter(char a, char b) {
            return a == b || Character.toLowerCase(Character.toUpperCase(a)) == Character.toLowerCase(Character.toUpperCase(b));
        }
    }
}
