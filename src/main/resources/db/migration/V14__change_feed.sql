-- The change feed (dev.sseproxy.cluster package documentation): every committed change to a table that
-- nodes cache is announced on channel sse_proxy_changes as '<kind>:<id>', so every node drops its
-- cached copy within a second. Notifications are sent at commit only; a rolled-back change sends none.
-- Trigger arguments: the kind for inserts, the kind for updates and deletes, then one or two key columns.
create function sse_proxy_notify_change() returns trigger language plpgsql as $$
declare
    kind    text := case when TG_OP = 'INSERT' then TG_ARGV[0] else TG_ARGV[1] end;
    row_doc jsonb;
    payload text;
begin
    if TG_LEVEL = 'STATEMENT' then
        perform pg_notify('sse_proxy_changes', '*');
        return null;
    end if;
    foreach row_doc in array array[case when TG_OP <> 'INSERT' then to_jsonb(OLD) end,
                                   case when TG_OP <> 'DELETE' then to_jsonb(NEW) end] loop
        continue when row_doc is null;
        payload := kind || ':' || (row_doc ->> TG_ARGV[2]);
        if TG_NARGS > 3 then
            payload := payload || '/' || (row_doc ->> TG_ARGV[3]);
        end if;
        if payload is null or octet_length(payload) > 7999 then
            payload := '*';
        end if;
        -- identical payloads of one transaction are delivered once
        perform pg_notify('sse_proxy_changes', payload);
    end loop;
    return null;
end
$$;

create trigger bucket_changes after insert or update or delete on bucket
    for each row execute function sse_proxy_notify_change('bucket', 'bucket', 'name');
create trigger bucket_encryption_changes after insert or update or delete on bucket_encryption
    for each row execute function sse_proxy_notify_change('bucket-encryption', 'bucket-encryption', 'bucket');
create trigger access_key_changes after insert or update or delete on access_key
    for each row execute function sse_proxy_notify_change('access-key', 'access-key', 'access_key_id');
create trigger kms_key_changes after insert or update or delete on kms_key
    for each row execute function sse_proxy_notify_change('kms-key-new', 'kms-key', 'account_id', 'key_id');
create trigger kms_alias_changes after insert or update or delete on kms_alias
    for each row execute function sse_proxy_notify_change('kms-alias-new', 'kms-alias', 'account_id', 'alias_name');

create trigger bucket_truncated after truncate on bucket
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger bucket_encryption_truncated after truncate on bucket_encryption
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger access_key_truncated after truncate on access_key
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger kms_key_truncated after truncate on kms_key
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger kms_alias_truncated after truncate on kms_alias
    for each statement execute function sse_proxy_notify_change('*', '*', '');
