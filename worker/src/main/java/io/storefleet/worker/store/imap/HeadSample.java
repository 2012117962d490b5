package io.storefleet.worker.store.imap;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * The first bytes of messages spread over an account, read without a pass ({@code UID FETCH …
 * BODY.PEEK[]<0.n>}): what a compression dictionary is trained on. A pass would read every new
 * message whole before the scan that stores them, which would then read them again.
 */
final class HeadSample {
  private HeadSample() {}

  static List<byte[]> read(ImapSession s, LazyExpunge lazy, int count, int headBytes) throws ProtocolException {
    record Box(String name, List<MessageMeta> messages) {}
    List<Box> boxes = new ArrayList<>();
    long total = 0;
    for (MailboxStatus m : FolderMapping.own(s, lazy)) {
      if (m.selectable()) {
        Box b = new Box(m.name(), s.messages(m.name()));
        boxes.add(b);
        total += b.messages().size();
      }
    }
    long step = Math.max(1, total / Math.max(1, count));
    List<byte[]> out = new ArrayList<>();
    long index = 0;
    for (Box b : boxes) {
      List<Long> uids = new ArrayList<>();
      for (MessageMeta m : b.messages()) {
        if (index++ % step == 0 && out.size() + uids.size() < count) {
          uids.add(m.uid());
        }
      }
      if (uids.isEmpty()) {
        continue;
      }
      s.examine(b.name());
      String set = UIDSet.toString(UIDSet.createUIDSets(uids.stream().mapToLong(Long::longValue).toArray()));
      for (Response r : s.run("UID FETCH " + set + " (UID BODY.PEEK[]<0." + headBytes + ">)", null)) {
        if (r instanceof FetchResponse f && f.getItem(BODY.class) != null
            && f.getItem(BODY.class).getByteArray() != null) {
          out.add(f.getItem(BODY.class).getByteArray().getNewBytes());
        }
      }
    }
    return out;
  }
}
