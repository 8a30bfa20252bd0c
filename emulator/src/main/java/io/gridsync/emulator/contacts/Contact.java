package io.gridsync.emulator.contacts;

/**
 * One marketing contact, immutable so that readers (search, exports) never need a lock: an update
 * builds a new instance and the store swaps it in. Kept compact because the store must hold a
 * million of them in well under 1 GiB: unset fields are nulls, list ids are the shared instances
 * of the list store, and custom field values are a flat {@code [fieldId, value, ...]} array that
 * exists only when the contact has any.
 */
public final class Contact {

    private static final String[] NO_STRINGS = new String[0];

    final String id;
    final long createdAt;
    final long updatedAt;
    /** Indexed by {@link ContactField#ordinal()}; null means never set. Emails are lower case. */
    final String[] values;
    /** Lower-case alternate emails, or null. */
    final String[] alternateEmails;
    /** Ids of the lists the contact belongs to, or null. */
    final String[] listIds;
    /** {@code [fieldId, value, fieldId, value, ...]}; values are String (Text, Date) or Number; or null. */
    final Object[] customFields;

    Contact(String id, long createdAt, long updatedAt, String[] values, String[] alternateEmails,
            String[] listIds, Object[] customFields) {
        this.id = id;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.values = values;
        this.alternateEmails = alternateEmails == null || alternateEmails.length == 0 ? null : alternateEmails;
        this.listIds = listIds == null || listIds.length == 0 ? null : listIds;
        this.customFields = customFields == null || customFields.length == 0 ? null : customFields;
    }

    public String id() {
        return id;
    }

    public long createdAt() {
        return createdAt;
    }

    public long updatedAt() {
        return updatedAt;
    }

    /** The value of a reserved field, or null when unset. */
    public String get(ContactField field) {
        return values[field.ordinal()];
    }

    public String email() {
        return values[ContactField.EMAIL.ordinal()];
    }

    public String[] alternateEmails() {
        return alternateEmails == null ? NO_STRINGS : alternateEmails.clone();
    }

    public String[] listIds() {
        return listIds == null ? NO_STRINGS : listIds.clone();
    }

    public boolean inList(String listId) {
        if (listIds != null) {
            for (String l : listIds) {
                if (l.equals(listId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Number of custom field values. */
    public int customFieldCount() {
        return customFields == null ? 0 : customFields.length / 2;
    }

    public String customFieldId(int i) {
        return (String) customFields[2 * i];
    }

    public Object customFieldValue(int i) {
        return customFields[2 * i + 1];
    }

    /** The value of a custom field by id, or null. */
    public Object customField(String fieldId) {
        if (customFields != null) {
            for (int i = 0; i < customFields.length; i += 2) {
                if (customFields[i].equals(fieldId)) {
                    return customFields[i + 1];
                }
            }
        }
        return null;
    }
}
