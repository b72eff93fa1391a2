-- Every source the database cites, with how many values use it.
-- Params: none. Grain: one row per source.
with used as (
    select source_key, count(*) as n_values from province_score group by source_key
    union all
    select source_key, count(*) from unit_score group by source_key
)
select s.source_key, s.title, s.citation, s.url, s.licence, s.note, coalesce(sum(u.n_values), 0) as n_values
from source s
left join used u on u.source_key = s.source_key
group by s.source_key, s.title, s.citation, s.url, s.licence, s.note
order by n_values desc, s.source_key;
