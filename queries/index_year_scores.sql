-- Every province's total and domain/dimension scores of an index in one year.
-- Params: $index, $year. Grain: one row per province and measure.
select
    s.province_code,
    s.province_name,
    s.province_name_en,
    p.region_vi,
    p.region_en,
    s.measure_code,
    s.measure_name,
    s.measure_name_en,
    s.measure_depth,
    s.score,
    s.max_score,
    s.rank,
    s.ci_low,
    s.ci_high,
    s.std_error,
    s.provenance,
    s.source
from province_scores s
left join province p
    on p.province_code = s.province_code
   and p.scheme = s.scheme
where s.index_name = $index and s.year = $year and s.measure_depth in ('total', 'domain')
order by s.province_code, s.measure_code;
