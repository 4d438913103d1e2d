-- Versioning (issue 15): the bucket's versioning status as PutBucketVersioning last set it, forwarded
-- to the MinIO bucket (which versions the ciphertext) and kept here so the cached bucket row answers
-- GetBucketVersioning and tells request paths whether older versions exist without a backend call.
-- null: never versioned; 'Enabled' or 'Suspended' afterwards (a bucket never goes back to null).
-- The bucket row's change-feed trigger (V14) already announces every update to the other nodes.
ALTER TABLE bucket ADD COLUMN versioning text;
ALTER TABLE bucket ADD CONSTRAINT bucket_versioning_status CHECK (versioning IN ('Enabled', 'Suspended'));
