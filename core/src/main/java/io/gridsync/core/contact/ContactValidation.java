package io.gridsync.core.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Optional;
import java.util.regex.Pattern;

/** Email and phone checks made before anything is sent, so one bad value fails one record only. */
public final class ContactValidation {

    /** A practical address check: one @, a local part without spaces, a dotted domain. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private ContactValidation() {}

    public static boolean isEmail(String s) {
        return s != null && s.length() <= 254 && EMAIL.matcher(s).matches() && !s.contains("..");
    }

    /**
     * The number in E.164 ({@code +442071838750}) when it is a valid phone number written with its
     * country code; spaces, dashes and brackets are tolerated. Empty when it is not valid.
     */
    public static Optional<String> toE164(String s) {
        if (s == null || !s.trim().startsWith("+")) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber n = PHONES.parse(s, null);
            if (!PHONES.isValidNumber(n)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
