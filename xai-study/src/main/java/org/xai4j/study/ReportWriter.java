package org.xai4j.study;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.xai4j.io.OutputFolder;
import org.xai4j.viz.io.PngWriter;

/**
 * Writes the study's report atomically: PNG figures as they are made, then {@code index.html} and
 * {@code summary.json}, all into a staging folder that {@link #finish} moves into place ({@link OutputFolder}).
 * Closing an unfinished report deletes what was written.
 */
final class ReportWriter implements AutoCloseable {

    private final OutputFolder folder;
    private final StringBuilder html = new StringBuilder();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private int figures;

    private ReportWriter(OutputFolder folder) {
        this.folder = folder;
    }

    /** Opens the report folder (see {@link OutputFolder#open}). */
    static ReportWriter open(Path target, boolean replace) throws IOException {
        return new ReportWriter(OutputFolder.open(target, replace));
    }

    /** The numbers of {@code summary.json}, filled in by the sections. */
    Map<String, Object> summary() {
        return summary;
    }

    /** The map under {@code summary[keys[0]][keys[1]]...}, created empty where missing. */
    @SuppressWarnings("unchecked")
    Map<String, Object> summary(String... keys) {
        Map<String, Object> m = summary;
        for (String key : keys) {
            m = (Map<String, Object>) m.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        }
        return m;
    }

    /** Writes a figure under a relative path and adds it to the page with a caption. */
    void figure(String relative, BufferedImage image, String caption) throws IOException {
        file(relative, image);
        html.append(figureHtml(relative, caption)).append('\n');
    }

    /** Writes a figure without adding it to the page (for side-by-side rows, see {@link #row}). */
    String file(String relative, BufferedImage image) throws IOException {
        Path file = folder.staging().resolve(relative);
        Files.createDirectories(file.getParent());
        PngWriter.write(image, file);
        figures++;
        return relative;
    }

    /** Figures already written, shown in one row. */
    void row(List<String> relatives, List<String> captions) {
        html.append("<div class=\"row\">");
        for (int i = 0; i < relatives.size(); i++) {
            html.append(figureHtml(relatives.get(i), captions.get(i)));
        }
        html.append("</div>\n");
    }

    void heading(int level, String text) {
        html.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
    }

    void paragraph(String text) {
        html.append("<p>").append(escape(text)).append("</p>\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        html.append("<table><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (List<String> r : rows) {
            html.append("<tr>");
            r.forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    int figureCount() {
        return figures;
    }

    /**
     * Writes {@code index.html} and {@code summary.json} and moves the report into place.
     *
     * @return the report folder
     */
    Path finish(String title) throws IOException {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;"
                + "color:#222}figure{display:inline-block;margin:0.5em;vertical-align:top}"
                + "img{max-width:100%;image-rendering:auto;border:1px solid #ddd}"
                + "figcaption{font-size:0.85em;color:#555;max-width:640px}.row{display:flex;flex-wrap:wrap;"
                + "align-items:flex-start}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                + "padding:3px 8px;text-align:right}th{background:#f3f3f3}</style></head><body>\n<h1>"
                + escape(title) + "</h1>\n" + html + "<p><a href=\"summary.json\">summary.json</a> holds every number "
                + "of this report.</p>\n</body></html>\n";
        Files.writeString(folder.staging().resolve("index.html"), page, StandardCharsets.UTF_8);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(folder.staging().resolve("summary.json"), mapper.writeValueAsString(summary),
                StandardCharsets.UTF_8);
        return folder.commit();
    }

    /** Deletes the staging folder unless the report was finished. */
    @Override public void close() {
        folder.close();
    }

    private static String figureHtml(String relative, String caption) {
        return "<figure><img src=\"" + escape(relative) + "\" alt=\"" + escape(caption) + "\"><figcaption>"
                + escape(caption) + "</figcaption></figure>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("\n", " ");
    }

    /** A finite number rounded to 6 decimals, or null (JSON has no NaN). */
    static Double num(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null;
    }
}
