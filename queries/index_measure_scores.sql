-- One measure of an index for every year and province, with names, rank, uncertainty and provenance.
-- Params: $index, $measure ('total' or a domain code). Grain: one row per year and province.
select
    s.year,
    s.province_code,
    s.province_name,
    s.province_name_en,
    p.region_vi,
    p.region_en,
    s.measure_code,
    s.measure_name,
    s.measure_name_en,
    s.score,
    s.max_score,
    s.rank,
    s.ci_low,
    s.ci_high,
    s.std_error,
    s.provenance,
    s.rank_provenance,
    s.source,
    s.note
from province_scores s
left join province p
    on p.province_code = s.province_code
   and p.scheme = case when s.year >= 2025 then 'p34' else 'p63' end
where s.index_name = $index and s.measure_code = $measure and s.score is not null
order by s.year, s.score desc;
