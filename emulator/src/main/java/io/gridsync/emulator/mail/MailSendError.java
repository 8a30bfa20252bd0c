package io.gridsync.emulator.mail;

/**
 * One entry of a Mail Send 400, in SendGrid's shape: {@code message}, {@code field} and a {@code help}
 * link into SendGrid's error reference, e.g. field {@code personalizations.0.to.0.email} links to
 * {@code #message.personalizations.to}.
 */
public record MailSendError(String field, String message) {

    static final String HELP_BASE = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#";

    /** The anchor SendGrid uses: the field without array indexes and without a recipient's email/name. */
    public String help() {
        if (field == null) {
            return null;
        }
        if (field.equals("personalizations")) {
            return HELP_BASE + "-Personalizations-Errors";
        }
        StringBuilder anchor = new StringBuilder();
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.chars().allMatch(Character::isDigit)) {
                continue;
            }
            boolean recipientLeaf = i == parts.length - 1 && (p.equals("email") || p.equals("name")) && i > 0;
            if (recipientLeaf) {
                break;
            }
            if (anchor.length() > 0) {
                anchor.append('.');
            }
            anchor.append(p);
        }
        return HELP_BASE + "message." + anchor;
    }
}
