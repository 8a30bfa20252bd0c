package io.gridsync.server.audiences;

/**
 * A change to one stored member. {@code inList} null keeps what is stored (a failed attempt does
 * not change what SendGrid holds), and then the stored fields hash is kept too. {@code delete}
 * drops the row: a person neither wanted nor in the list needs no state.
 */
record MemberWrite(String email, boolean desired, Boolean inList, Long fieldsHash, String error, boolean delete) {

    static MemberWrite synced(String email, boolean member, Long fieldsHash) {
        return member ? new MemberWrite(email, true, true, fieldsHash, null, false) : deleted(email);
    }

    static MemberWrite failed(String email, boolean desired, String error) {
        return new MemberWrite(email, desired, null, null, error, false);
    }

    static MemberWrite deleted(String email) {
        return new MemberWrite(email, false, false, null, null, true);
    }
}
