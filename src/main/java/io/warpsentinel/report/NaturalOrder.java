package io.warpsentinel.report;

import java.util.Comparator;

/**
 * Text in the order people expect of names with numbers in them: a run of digits compares as the
 * number it is (user2 before user10 before user127), everything else without regard to case.
 * Names that read alike that way (user01 and user1, Ann and ann) are then ordered as plain text,
 * so two different names never compare equal.
 */
final class NaturalOrder implements Comparator<String> {

    static final Comparator<String> INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int numbers = compareNumbers(a, i, endA, b, j, endB);
                if (numbers != 0) {
                    return numbers;
                }
                i = endA;
                j = endB;
            } else {
                // a digit against anything else compares as characters: numbers sort where digits do
                int chars = Character.compare(Character.toLowerCase(a.charAt(i)), Character.toLowerCase(b.charAt(j)));
                if (chars != 0) {
                    return chars;
                }
                i++;
                j++;
            }
        }
        int rest = Integer.compare(a.length() - i, b.length() - j);
        return rest != 0 ? rest : a.compareTo(b);
    }

    // ASCII digits only: Character.isDigit also takes other scripts' digits, whose values this does not read
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    /** The two runs of digits by value, however long (no parsing, so no overflow): leading zeros skipped, then more digits is more. */
    private static int compareNumbers(String a, int fromA, int endA, String b, int fromB, int endB) {
        while (fromA < endA - 1 && a.charAt(fromA) == '0') {
            fromA++;
        }
        while (fromB < endB - 1 && b.charAt(fromB) == '0') {
            fromB++;
        }
        int length = Integer.compare(endA - fromA, endB - fromB);
        if (length != 0) {
            return length;
        }
        for (; fromA < endA; fromA++, fromB++) {
            int digit = Character.compare(a.charAt(fromA), b.charAt(fromB));
            if (digit != 0) {
                return digit;
            }
        }
        return 0;
    }
}
