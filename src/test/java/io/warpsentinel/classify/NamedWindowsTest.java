package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The syntax of sentinel.stale-after.policies and .platforms: name=window entries, names quoted as in CSV, read strictly. */
class NamedWindowsTest {

    /** Each entry as "name=window", in the order given. */
    private static Map<String, String> texts(Map<String, StalePolicy> windows) {
        Map<String, String> texts = new LinkedHashMap<>();
        windows.forEach((name, window) -> texts.put(name, window.toString()));
        return texts;
    }

    @Test
    void namesAndWindowsInTheOrderGivenSpacesAroundThemDropped() {
        assertThat(texts(NamedWindows.profiles(" Contractors = P14D ,Kiosks=p180d,Lab machines=P1M")))
                .containsExactly(Map.entry("Contractors", "P14D"), Map.entry("Kiosks", "P180D"), Map.entry("Lab machines", "P1M"));
        assertThat(NamedWindows.profiles("")).isEmpty();
        assertThat(NamedWindows.profiles("   ")).isEmpty();
    }

    @Test
    void aNameWithACommaAnEqualsSignOrAQuoteIsWrittenInDoubleQuotes() {
        assertThat(texts(NamedWindows.profiles("\"Sales, EMEA\"=P14D, \"a=b\" = P7D,\"Say \"\"hi\"\"\"=PT36H,\" padded \"=P2D")))
                .containsExactly(Map.entry("Sales, EMEA", "P14D"), Map.entry("a=b", "P7D"), Map.entry("Say \"hi\"", "PT36H"),
                        Map.entry("padded", "P2D"));
    }

    @Test
    void profileNamesKeepTheirCasePlatformsAreReadInLowerCase() {
        assertThat(NamedWindows.profiles("Kiosks=P1D,kiosks=P2D")).containsOnlyKeys("Kiosks", "kiosks");
        assertThat(NamedWindows.platforms("iOS=P60D,Android=P60D")).containsOnlyKeys("ios", "android");
        assertThatThrownBy(() -> NamedWindows.platforms("ios=P60D,IOS=P30D")).hasMessage("'ios' is given twice");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Contractors                     | entry 1 ('Contractors') has no '=': write name=window
            Contractors=P14D,Kiosks         | entry 2 ('Kiosks') has no '=': write name=window
            Contractors=P14D,               | entry 2 is empty
            Contractors=P14D,,Kiosks=P1D    | entry 2 is empty
            =P14D                           | entry 1 has no name before its '='
            '"" =P14D'                      | entry 1 has no name before its '='
            Contractors=P14                 | the window of 'Contractors', 'P14', is no ISO-8601 duration above zero
            Contractors=                    | the window of 'Contractors', '', is no ISO-8601 duration above zero
            Contractors=P0D                 | the window of 'Contractors', 'P0D', is no ISO-8601 duration above zero
            Sales, EMEA=P14D                | entry 1 ('Sales') has no '=': write name=window
            a=b=P7D                         | the window of 'a', 'b=P7D', is no ISO-8601 duration above zero
            '"Sales, EMEA=P14D'             | entry 1: a quote is not closed
            '"Sales" EMEA=P14D'             | entry 1: a quoted name must be followed by =window
            'Say "hi"=P1D'                  | entry 1: a quote may only enclose the whole name
            Kiosks=P1D,Kiosks=P2D           | 'Kiosks' is given twice
            """)
    void aMalformedEntryFailsNamingIt(String value, String why) {
        assertThatThrownBy(() -> NamedWindows.profiles(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(why);
    }
}
