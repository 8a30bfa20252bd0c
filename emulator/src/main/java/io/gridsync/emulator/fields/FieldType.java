package io.gridsync.emulator.fields;

/** SendGrid's custom field types; the letter is the suffix of the opaque field id ({@code e1_T}). */
public enum FieldType {
    Text('T'), Number('N'), Date('D');

    public final char idSuffix;

    FieldType(char idSuffix) {
        this.idSuffix = idSuffix;
    }
}
