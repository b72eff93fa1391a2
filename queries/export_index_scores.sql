-- Any filtered slice of the national index scores, for export.
-- Params: $index, $years (integer[]), $provinces (varchar[]; empty = all), $depths (varchar[]: 'total', 'domain').
-- Grain: one row per year, province and measure. change: against the same province the year before (none
-- across the 2025 merger, when province codes change meaning).
with scored as (
    select s.*,
           lag(s.score) over w as prev_score,
           lag(s.year) over w  as prev_year
    from province_scores s
    where s.index_name = $index
    window w as (partition by s.measure_code, s.province_code, s.scheme order by s.year)
)
select
    index_name,
    year,
    province_code,
    province_name,
    province_name_en,
    measure_code,
    measure_name,
    measure_name_en,
    measure_depth,
    score,
    max_score,
    score / nullif(max_score, 0)                                     as share_of_max,
    rank,
    case when prev_year = year - 1 then score - prev_score end       as change,
    ci_low,
    ci_high,
    provenance,
    source
from scored
where list_contains($years::integer[], year)
  and (len($provinces::varchar[]) = 0 or list_contains($provinces::varchar[], province_code))
  and list_contains($depths::varchar[], measure_depth)
  and score is not null
order by year, measure_code, rank nulls last, province_code;
