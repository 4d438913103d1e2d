-- Server access logging (dev.sseproxy.accesslog; api/BucketLoggingOperation): a bucket's PutBucketLogging
-- configuration, encoded by catalog.BucketLogging (one line per field), null when logging is off. It lives on
-- the bucket row, so the cached Bucket carries it (a request path pays no lookup for it) and the row's change
-- trigger (V14, after update of any column) makes every node drop its cached bucket within a second.
alter table bucket add column logging text;
