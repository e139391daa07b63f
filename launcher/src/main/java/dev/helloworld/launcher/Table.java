package dev.helloworld.launcher;

import java.util.List;

/** Plain-text columns, padded to the widest cell, for terminals and for grep. */
final class Table {

    private Table() {}

    static String format(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                line.append(c == columns - 1 ? cell : cell + " ".repeat(widths[c] - cell.length() + 2));
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
