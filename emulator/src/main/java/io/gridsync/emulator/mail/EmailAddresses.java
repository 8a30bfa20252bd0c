package io.gridsync.emulator.mail;

import java.util.regex.Pattern;

/** The address check Mail Send applies: a plain {@code local@domain.tld}, at most 320 characters. */
public final class EmailAddresses {

    /** RFC 5321's practical limit, which SendGrid enforces for every recipient. */
    public static final int MAX_LENGTH = 320;

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private EmailAddresses() {}

    public static boolean isValid(String address) {
        if (address == null || address.length() > MAX_LENGTH) {
            return false;
        }
        int at = address.lastIndexOf('@');
        return at > 0 && at <= 64 && ADDRESS.matcher(address).matches();
    }

    /** The part before the {@code @}, lower-cased; what the emulator's outcome rules look at. */
    public static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(0, at)).toLowerCase(java.util.Locale.ROOT);
    }
}
