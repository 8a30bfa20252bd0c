package io.gridsync.emulator.templates;

import java.util.regex.Pattern;

/** The text part SendGrid derives from a version's HTML when {@code generate_plain_content} is on. */
final class PlainText {

    private static final Pattern DROPPED = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>");
    private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|/p|/div|/h[1-6]|/li|/tr)\\b[^>]*>");
    private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");

    private PlainText() {}

    static String fromHtml(String html) {
        String s = DROPPED.matcher(html).replaceAll("");
        s = BREAKS.matcher(s).replaceAll("\n");
        s = TAGS.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
