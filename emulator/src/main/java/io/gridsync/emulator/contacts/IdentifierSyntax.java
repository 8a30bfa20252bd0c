package io.gridsync.emulator.contacts;

import java.util.regex.Pattern;

/** The syntax SendGrid requires of email addresses and phone number ids. */
final class IdentifierSyntax {

    /** A dot-atom local part and a domain of at least two labels; no spaces, no quoted forms. */
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    /** E.164 digits, the leading + optional (SendGrid's own examples show both). */
    private static final Pattern PHONE = Pattern.compile("\\+?[1-9][0-9]{6,14}");

    private IdentifierSyntax() {}

    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        return s.length() <= 254 && at > 0 && at <= 64 && EMAIL.matcher(s).matches();
    }

    static boolean isPhoneNumberId(String s) {
        return PHONE.matcher(s).matches();
    }
}
