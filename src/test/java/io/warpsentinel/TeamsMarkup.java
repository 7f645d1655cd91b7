package io.warpsentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What Microsoft Teams would read as markup in an Adaptive Card's text, the way a CommonMark
 * reader does: a link, emphasis or autolink character not escaped by a backslash, a list, heading
 * or quote marker at the start, a line break. Written apart from the code under test.
 */
public final class TeamsMarkup {

    private static final Pattern BLOCK_START = Pattern.compile("^ {0,3}([-+*#>]|\\d+[.)])");
    private static final String ESCAPABLE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private TeamsMarkup() {
    }

    /** The markup found, each as "what at which index"; empty when the text is plain. */
    public static List<String> in(String text) {
        List<String> found = new ArrayList<>();
        if (BLOCK_START.matcher(text).find()) {
            found.add("a block marker at the start");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && ESCAPABLE.indexOf(text.charAt(i + 1)) >= 0) {
                i++;
            } else if ("[]*_<".indexOf(c) >= 0) {
                found.add("'" + c + "' at " + i);
            } else if (c == '\n' || c == '\r') {
                found.add("a line break at " + i);
            }
        }
        return found;
    }
}
