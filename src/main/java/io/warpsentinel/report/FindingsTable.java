package io.warpsentinel.report;

import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.finding.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The HTML report's findings table, built from the columns' declarations ({@link HtmlColumn}, in
 * {@link ReportColumn}): the headings and the cells, and in the report file every row's data in a
 * JSON block beside the table, which a small inline script shows {@value #PAGE_ROWS} rows at a
 * time, sorts on a click (or Enter) on a heading and filters as one types. The script knows no
 * column: the page tells it, as JSON, which cell of a row holds each column's text, sort key and
 * line under it, and whether the column sorts and filters. Rows are built with textContent: a
 * device name never becomes markup.
 */
final class FindingsTable {

    /** Rows the report file's page shows at first, and adds at a time: a page of 20,000 rows laid out at once is not readable in seconds. */
    static final int PAGE_ROWS = 200;

    private static final String COLUMNS_ID = "finding-columns";

    /** What a row of the table is made from, read back from the JSON report. */
    private static final Set<String> COLUMN_NAMES = Arrays.stream(ReportColumn.ALL).map(column -> column.header).collect(Collectors.toSet());

    // Each JSON row ends with its rank in the reading order, which places it. Measured on pages of
    // up to 100,000 rows (docs/reports.md): a sort computes each row's key once, not per
    // comparison, and the text the filter searches is made at the first filter, not at load.
    private static final String SCRIPT = """
            (function(){
            var PAGE=%d,columns=JSON.parse(document.getElementById('%s').textContent);
            document.querySelectorAll('table[data-rows]').forEach(function(table){
            var rows=[],total=+table.getAttribute('data-findings');
            JSON.parse(document.getElementById(table.getAttribute('data-rows')).textContent).forEach(function(r){rows[r[r.length-1]]=r;});
            var heads=table.tHead.rows[0].cells,body=table.tBodies[0],shown=Math.min(PAGE,rows.length),view=rows,col=-1,asc=true;
            var filter=document.querySelector('input[data-filter="'+table.id+'"]'),count=document.getElementById(table.id+'-count');
            var more=document.getElementById(table.id+'-more');
            var text=null,collator=new Intl.Collator('en');
            filter.parentNode.hidden=false;
            function cell(tr,value,under){var td=document.createElement('td');td.textContent=value;
            if(under){td.appendChild(document.createElement('br'));var s=document.createElement('span');s.className='ago';s.textContent=under;td.appendChild(s);}
            tr.appendChild(td);}
            function row(r){var tr=document.createElement('tr');columns.forEach(function(c){cell(tr,r[c.text],'under' in c?r[c.under]:'');});
            return tr;}
            function render(){var part=document.createDocumentFragment();view.slice(0,shown).forEach(function(r){part.appendChild(row(r));});
            body.replaceChildren(part);
            count.textContent='Showing '+n(Math.min(shown,view.length))+' of '+n(view.length)
            +(view.length===rows.length?'':' matching ('+n(rows.length)+' in all)')
            +(total>rows.length?'; this page holds '+n(rows.length)+' of the '+n(total)+' findings, the CSV every one':'');
            more.hidden=shown>=view.length;}
            function n(x){return x.toLocaleString('en-US');}
            function sortKey(r,k){var v=r[columns[k].key];return typeof v==='number'?v:String(v).toLowerCase();}
            function order(){if(col<0)return;var k=col,keyed=view.map(function(r){return [sortKey(r,k),r];});
            keyed.sort(function(a,b){var x=a[0],y=b[0];
            var c=typeof x==='number'&&typeof y==='number'?x-y:typeof x==='number'?-1:typeof y==='number'?1:collator.compare(x,y);
            return asc?c:-c;});view=keyed.map(function(p){return p[1];});}
            function select(){var q=filter.value.trim().toLowerCase();
            if(q&&!text)text=rows.map(function(r){var words=[];columns.forEach(function(c){if(c.filter){words.push(r[c.text]);
            if('under' in c)words.push(r[c.under]);}});return words.join(' ').toLowerCase();});
            view=q?rows.filter(function(r,i){return text[i].indexOf(q)>=0;}):rows.slice();order();shown=Math.min(PAGE,view.length);render();}
            Array.prototype.forEach.call(heads,function(th,k){if(!columns[k].sort)return;
            th.setAttribute('data-sortable','');th.tabIndex=0;th.title='Sort by '+th.textContent;
            function sort(){asc=col===k?!asc:true;col=k;
            Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
            th.setAttribute('aria-sort',asc?'ascending':'descending');order();render();}
            th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});});
            var timer;filter.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(select,100);});
            more.querySelector('button').addEventListener('click',function(){shown+=PAGE;render();});
            render();});})();
            """.formatted(PAGE_ROWS, COLUMNS_ID);

    /**
     * Where a column's cells sit in a row of the page's JSON: its text, its sort key (the text
     * itself, unless the column sorts by something else: a date by its instant) and the line under
     * it (-1: none).
     */
    private record Cells(HtmlColumn column, int text, int key, int under) {
    }

    private final List<Cells> layout;
    /** Cells in a row of the page's JSON; the row's rank in the reading order comes after them. */
    private final int width;
    private final Function<Instant, String> when;

    /**
     * @param columns the table's columns, in its order
     * @param when    an instant as the page shows it
     */
    FindingsTable(List<HtmlColumn> columns, Function<Instant, String> when) {
        List<Cells> layout = new ArrayList<>(columns.size());
        int next = 0;
        for (HtmlColumn column : columns) {
            int key = column.kind() == HtmlColumn.Kind.TIME ? next++ : -1;
            int text = next++;
            int under = column.under() == null ? -1 : next++;
            layout.add(new Cells(column, text, key < 0 ? text : key, under));
        }
        this.layout = List.copyOf(layout);
        this.width = next;
        this.when = when;
    }

    /** The report's findings table: the columns {@link ReportColumn} declares shown. */
    static FindingsTable ofReport(Function<Instant, String> when) {
        return new FindingsTable(ReportColumn.IN_TABLE, when);
    }

    /**
     * Findings in memory as a table. In the report file ({@code interactive}), the first
     * {@value #PAGE_ROWS} rows are in the page and every row in a JSON block the script shows,
     * sorts and filters; in the e-mail, every row is in the page.
     */
    void write(Writer out, List<Verdict> verdicts, String id, boolean interactive) throws IOException {
        List<Object[]> rows = verdicts.stream().map(verdict -> row(ReportRow.of(verdict))).toList();
        start(out, id, interactive ? verdicts.size() : -1);
        cells(out, interactive ? rows.subList(0, Math.min(PAGE_ROWS, rows.size())) : rows);
        if (interactive) {
            startData(out, id);
            for (int i = 0; i < rows.size(); i++) {
                writeJsonRow(out, rows.get(i), i);
            }
            endData(out);
        }
    }

    /**
     * The report file's table of every finding it holds: the first {@value #PAGE_ROWS} of
     * {@code first} (the reading order's) in the page, and in the JSON block the findings
     * {@code held} names, read back from the JSON report {@code json}, each with its rank.
     */
    void write(Writer out, List<Verdict> first, String id, PageRows held, Path json) throws IOException {
        start(out, id, held.findings());
        cells(out, first.stream().limit(PAGE_ROWS).map(verdict -> row(ReportRow.of(verdict))).toList());
        startData(out, id);
        int[] next = {0};
        JsonReportFindings.read(json, place -> next[0] < held.size() && held.place(next[0]) == place, COLUMN_NAMES,
                (place, finding) -> writeJsonRow(out, row(column -> finding.get(column.header)), held.rank(next[0]++)));
        endData(out);
    }

    /**
     * The filter (hidden until the script runs: without it, it would do nothing), the table and its
     * headings.
     *
     * @param findings how many findings the table is of; -1 without the script
     */
    private void start(Writer out, String id, long findings) throws IOException {
        if (findings >= 0) {
            out.write("<p hidden><input type=\"search\" data-filter=\"" + id + "\" placeholder=\"Filter: device, user, registration, reason, version\""
                    + " aria-label=\"Filter the findings\"> <span id=\"" + id + "-count\" class=\"muted\"></span>"
                    + " <span class=\"muted\">A click on a heading sorts.</span></p>\n"
                    + "<noscript><p class=\"muted\">Without scripts this page shows the first " + PAGE_ROWS + " rows; the CSV has them all.</p></noscript>\n");
        }
        // an id column as wide as a UUID and on one line; the script's rows are styled by the same rule, by position
        for (int i = 0; i < layout.size(); i++) {
            if (layout.get(i).column().oneLine()) {
                out.write("<style>#" + id + " th:nth-child(" + (i + 1) + "){width:42ch}#" + id + " td:nth-child(" + (i + 1)
                        + "){white-space:nowrap;overflow:hidden;text-overflow:ellipsis}</style>\n");
            }
        }
        out.write("<table id=\"" + id + "\" class=\"findings\"" + (findings >= 0 ? " data-rows=\"" + id + "-data\" data-findings=\"" + findings + "\"" : "")
                + "><thead><tr>");
        for (Cells cells : layout) {
            out.write("<th>" + HtmlReport.escapeText(cells.column().heading()) + "</th>");
        }
        out.write("</tr></thead><tbody>\n");
    }

    /** Rows in the page itself, then the end of the table. */
    private void cells(Writer out, List<Object[]> rows) throws IOException {
        for (Object[] row : rows) {
            out.write("<tr>");
            for (Cells cells : layout) {
                String under = cells.under() < 0 ? "" : (String) row[cells.under()];
                out.write("<td>" + HtmlReport.escapeText(String.valueOf(row[cells.text()]))
                        + (under.isEmpty() ? "" : "<br><span class=\"ago\">" + HtmlReport.escapeText(under) + "</span>") + "</td>");
            }
            out.write("</tr>\n");
        }
        out.write("</tbody></table>\n");
    }

    private boolean firstRow;

    private void startData(Writer out, String id) throws IOException {
        out.write("<p id=\"" + id + "-more\" hidden><button type=\"button\">Show " + PAGE_ROWS + " more</button></p>\n"
                + "<script type=\"application/json\" id=\"" + id + "-data\">[");
        firstRow = true;
    }

    private void endData(Writer out) throws IOException {
        out.write("]</script>\n");
    }

    /**
     * The column list the script works from, then the script: once per page, after its tables.
     * For each column, in the table's order: its heading, the places in a row of its text, its
     * sort key and the line under it (when it has one), and whether it sorts and filters.
     */
    void writeScript(Writer out) throws IOException {
        out.write("<script type=\"application/json\" id=\"" + COLUMNS_ID + "\">[");
        for (int i = 0; i < layout.size(); i++) {
            Cells cells = layout.get(i);
            out.write(i == 0 ? "\n{\"heading\":" : ",\n{\"heading\":");
            writeJsonString(out, cells.column().heading());
            out.write(",\"text\":" + cells.text() + ",\"key\":" + cells.key() + (cells.under() < 0 ? "" : ",\"under\":" + cells.under())
                    + ",\"sort\":" + cells.column().sortable() + ",\"filter\":" + cells.column().filterable() + "}");
        }
        out.write("]</script>\n<script>" + SCRIPT + "</script>\n");
    }

    /** A finding's cells, each in its place: a String, or a number (a {@link HtmlColumn.Kind#NUMBER}'s value, an instant's epoch seconds). */
    Object[] row(ReportRow finding) {
        Object[] row = new Object[width];
        for (Cells cells : layout) {
            Object value = cells.column().value().apply(finding);
            switch (cells.column().kind()) {
                case TEXT -> row[cells.text()] = value == null ? "" : value.toString();
                case NUMBER -> row[cells.text()] = value == null ? "" : (Number) value;
                case TIME -> {
                    Instant instant = RegistrationClassifier.parseTimestamp((String) value);
                    row[cells.key()] = instant == null ? "" : instant.getEpochSecond();
                    row[cells.text()] = instant == null ? (value == null ? "" : value) : when.apply(instant);
                }
            }
            if (cells.under() >= 0) {
                String under = cells.column().under().apply(finding);
                row[cells.under()] = under == null ? "" : under;
            }
        }
        return row;
    }

    /**
     * A row as a JSON array, numbers as numbers, its rank in the reading order last; safe inside a
     * script element ({@code </script>} cannot close it).
     */
    private void writeJsonRow(Writer out, Object[] row, int rank) throws IOException {
        out.write(firstRow ? "\n[" : ",\n[");
        firstRow = false;
        for (Object cell : row) {
            if (cell instanceof Number number) {
                out.write(number.toString());
            } else {
                writeJsonString(out, (String) cell);
            }
            out.write(',');
        }
        out.write(rank + "]");
    }

    /** A JSON string that is safe inside a script element: {@code <}, {@code >} and {@code &} as Unicode escapes. */
    private static void writeJsonString(Writer out, String value) throws IOException {
        out.write('"');
        // the characters between two escapes go out in one call: a Writer call per character
        // (each takes the BufferedWriter's lock) was most of a 100,000-row table's cost
        int plain = 0;
        for (int c = 0; c < value.length(); c++) {
            char ch = value.charAt(c);
            String escaped = switch (ch) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '<', '>', '&', '\u2028', '\u2029' -> String.format("\\u%04x", (int) ch);
                default -> ch < 0x20 ? String.format("\\u%04x", (int) ch) : null;
            };
            if (escaped != null) {
                out.write(value, plain, c - plain);
                out.write(escaped);
                plain = c + 1;
            }
        }
        out.write(value, plain, value.length() - plain);
        out.write('"');
    }
}
