package dev.netportal.ui.firewall;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.util.List;

/** A unified line diff of two configuration texts, added and removed lines coloured. */
public final class ConfigDiff {

    private ConfigDiff() {
    }

    /** The diff lines (unified format, three lines of context); empty when the texts are equal. */
    static List<String> lines(String before, String after, String beforeName, String afterName) {
        List<String> original = before.lines().toList();
        List<String> revised = after.lines().toList();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, original,
                DiffUtils.diff(original, revised), 3);
        return unified.size() <= 2 ? List.of() : unified.subList(2, unified.size());   // the file header says nothing here
    }

    /** The diff as a component, or a short sentence when nothing changes. */
    public static Component of(String before, String after, String beforeName, String afterName) {
        List<String> lines = lines(before, after, beforeName, afterName);
        if (lines.isEmpty()) {
            Span same = new Span("No change.");
            same.addClassName("np-diff-none");
            return same;
        }
        Div diff = new Div();
        diff.addClassName("np-diff");
        for (String line : lines) {
            Div row = new Div(line.isEmpty() ? " " : line);
            row.addClassName(line.startsWith("+") ? "np-diff-add" : line.startsWith("-") ? "np-diff-del"
                    : line.startsWith("@@") ? "np-diff-hunk" : "np-diff-same");
            diff.add(row);
        }
        return diff;
    }
}
