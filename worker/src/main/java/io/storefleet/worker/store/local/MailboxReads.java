package io.storefleet.worker.store.local;

import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailboxSnapshot;
import java.util.List;
import java.util.Optional;

/** What the store answers about one account's mailbox; the caller holds the store's lock. */
final class MailboxReads {
  private final StoreContext ctx;
  private final StoreState state;

  MailboxReads(StoreContext ctx, StoreState state) {
    this.ctx = ctx;
    this.state = state;
  }

  Optional<Folder> folder(String accountId, String path) {
    Mailbox box = ctx.mailbox(accountId).box();
    return box.folder("/" + String.join("/", Names.path(path)));
  }

  List<Item> items(String accountId, int folderId) {
    Owned o = ctx.mailbox(accountId);
    return o.box().items(o.requireFolder(folderId).id());
  }

  MailboxSnapshot snapshot(String accountId) {
    Owned o = ctx.mailbox(accountId);
    return new MailboxSnapshot(o.account(), state.lastSequence(), o.box().folders(), o.box().items(), o.box().grants());
  }
}
