package io.warpsentinel.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.TeamsMarkup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A device or user name in a Teams card is text: whatever markdown it holds is escaped, and it reads the same. */
class TeamsEscapeTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "[Reset your password](https://evil.example/login)",
        "[Reset](https://evil.example)@example.com",
        "**Urgent**: call _IT_ now",
        "- list item",
        "+ list item",
        "* list item",
        "1. first",
        "2024) item",
        "# Heading",
        "> quoted",
        "   - indented item",
        "<https://evil.example/login>",
        "<at>Chief Executive</at>",
        "name\n- [injected](https://evil.example)",
        "name\r\n1. [injected](https://evil.example)",
        "ends with a backslash\\",
        "\\[escaped by the attacker\\](https://evil.example)",
        "[ref]: https://evil.example",
        "![image](https://evil.example/pixel.png)"})
    void hostileValuesCarryNoMarkup(String hostile) {
        String escaped = WebhookPayloads.teamsEscape(hostile);

        assertThat(TeamsMarkup.in(escaped)).as("markup left in %s", escaped).isEmpty();
        assertThat(unescape(escaped)).as("it reads as it was written, line breaks aside")
                .isEqualTo(hostile.replaceAll("[\\r\\n]", " ").strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "old laptop                                  | old laptop",
        "Müller's PC (2023)                          | Müller's PC (2023)",
        "john_doe@example.com                        | john\\_doe@example.com",
        "[Reset your password](https://evil.example) | \\[Reset your password\\](https://evil.example)",
        "1. first                                    | 1\\. first",
        "- item                                      | \\- item",
        "a - b                                       | a - b"})
    void plainNamesStayAsTheyAreAndMarkupGetsABackslash(String value, String expected) {
        assertThat(WebhookPayloads.teamsEscape(value)).isEqualTo(expected);
    }

    /** What a CommonMark reader shows for backslash escapes. */
    private static String unescape(String text) {
        return text.replaceAll("\\\\(\\p{Punct})", "$1");
    }
}
