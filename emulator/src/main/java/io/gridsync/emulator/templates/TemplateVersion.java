package io.gridsync.emulator.templates;

import java.time.Instant;

/** One version of a template: its subject and content. At most one version of a template is active. */
public record TemplateVersion(String id, String templateId, boolean active, String name, String subject,
                              String htmlContent, String plainContent, boolean generatePlainContent,
                              String editor, String testData, Instant updatedAt) {

    TemplateVersion withActive(boolean nowActive, Instant now) {
        return new TemplateVersion(id, templateId, nowActive, name, subject, htmlContent, plainContent,
                generatePlainContent, editor, testData, nowActive == active ? updatedAt : now);
    }
}
