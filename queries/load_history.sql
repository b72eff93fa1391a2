-- The most recent loads. Params: $limit. Grain: one row per load attempt.
select load_id, started_at, file_name, kind, rows, result, message, user_name
from load_log
order by load_id desc
limit $limit;
