"""What the reviewer console does, without drawing: its context (the backend, the store, the
rules), the queue's filters, the declaration's field layout, attachments on disk, the checks
shown beside a declaration, and the texts they use. No Textual here."""
