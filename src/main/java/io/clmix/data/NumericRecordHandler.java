package io.clmix.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;

/**
 * Feeds FastCSV's fields straight into a {@link NumericRecord}, parsing numbers from the
 * parser's character buffer without making a string per field. Never throws: problems are
 * recorded in the record and reported by {@link CsvReader}, which knows the file and line.
 */
final class NumericRecordHandler extends AbstractBaseCsvCallbackHandler<NumericRecord> {
  private final NumericRecord record;

  NumericRecordHandler(NumericRecord record) {
    this.record = record;
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    record.begin(startingLineNumber);
  }

  @Override
  protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
    record.field(buf, offset, offset + len, quoted);
  }

  @Override
  protected void handleComment(char[] buf, int offset, int len) {
    record.skip = true;
  }

  @Override
  protected void handleEmpty() {
    record.skip = true;
  }

  @Override
  protected NumericRecord buildRecord() {
    record.end();
    return record;
  }
}
