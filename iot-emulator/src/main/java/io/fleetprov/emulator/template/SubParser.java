package io.fleetprov.emulator.template;

import java.util.ArrayList;
import java.util.List;

/** Cuts an Fn::Sub string into text and {@code ${Name}} references; {@code ${!x}} stands for a literal {@code ${x}}. */
final class SubParser {

    private SubParser() {}

    static List<Expr.SubPart> parse(String template, String at) {
        List<Expr.SubPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("${", i);
            if (open < 0) {
                text.append(template, i, template.length());
                break;
            }
            text.append(template, i, open);
            if (open + 2 < template.length() && template.charAt(open + 2) == '!') {
                // The escape lets IoT policy variables such as ${!iot:ClientId} pass through Fn::Sub.
                text.append("${");
                i = open + 3;
                continue;
            }
            int close = template.indexOf('}', open + 2);
            if (close < 0) {
                throw TemplateException.invalidTemplate(at + ": unterminated '${' at position " + open);
            }
            String name = template.substring(open + 2, close);
            if (name.isEmpty()) {
                throw TemplateException.invalidTemplate(at + ": empty variable '${}' at position " + open);
            }
            if (!text.isEmpty()) {
                parts.add(new Expr.SubPart.Text(text.toString()));
                text.setLength(0);
            }
            parts.add(new Expr.SubPart.Variable(name));
            i = close + 1;
        }
        if (!text.isEmpty()) {
            parts.add(new Expr.SubPart.Text(text.toString()));
        }
        return parts;
    }
}
