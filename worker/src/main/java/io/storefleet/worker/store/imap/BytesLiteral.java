package io.storefleet.worker.store.imap;

import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.iap.Literal;

/** Raw message bytes as an IMAP literal: appended exactly as given. */
record BytesLiteral(byte[] raw) implements Literal {
  @Override
  public int size() {
    return raw.length;
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    os.write(raw);
  }
}
