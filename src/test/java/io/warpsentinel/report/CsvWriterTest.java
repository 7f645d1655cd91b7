package io.warpsentinel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    private static String row(boolean formulaGuard, String... cells) throws Exception {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out, formulaGuard);
        for (String cell : cells) {
            csv.cell(cell);
        }
        csv.endRow();
        return out.toString();
    }

    @Test
    void aValueIsQuotedWhenItHoldsAnyOfCrLfSeparatorOrQuote() throws Exception {
        assertThat(row(false, "bare\rreturn", "line\nfeed", "a,b", "say \"hi\"", "plain", null, ""))
                .isEqualTo("\"bare\rreturn\",\"line\nfeed\",\"a,b\",\"say \"\"hi\"\"\",plain,,\n");
        assertThat(row(false, " edge ")).isEqualTo("\" edge \"\n");
    }

    @Test
    void formulasAreNeutralisedOnlyWithTheGuardOn() throws Exception {
        assertThat(row(true, "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b"))
                .isEqualTo("'=1+1,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",a=b\n");
        assertThat(row(false, "=1+1")).isEqualTo("=1+1\n");
    }

    @Test
    void rowsLongerThanTheFirstBufferAndShorterOnesAfterThemAreWrittenWhole() throws Exception {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out, false);
        String name = "x".repeat(5000);
        csv.cell(name);
        csv.cell(1L);
        csv.endRow();
        csv.cell("short");
        csv.endRow();
        assertThat(out.toString()).isEqualTo(name + ",1\nshort\n");
    }
}
