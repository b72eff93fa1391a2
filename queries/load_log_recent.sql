-- The load history, newest first: every attempt the database recorded (loads, rollbacks, refusals).
-- Params: $n (how many). Grain: one row per attempt.
select started_at, user_name, file_name, file_sha256, kind, rows, result, message, attempt_id
from load_log
order by load_id desc
limit $n;
