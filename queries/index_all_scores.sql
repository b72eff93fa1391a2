-- Every index, year, province and measure (total and domains/dimensions): one query for the four indices (the
-- overview and the briefing need them all; ui.provinces.all_scores hands out one index's rows).
-- Params: none. Grain: one row per index, year, province and measure.
select
    s.index_name,
    s.year,
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
    s.rank_provenance,
    s.source,
    s.note
from province_scores s
left join province p
    on p.province_code = s.province_code
   and p.scheme = s.scheme
where s.measure_depth in ('total', 'domain') and (s.score is not null or s.rank is not null)
order by s.index_name, s.measure_code, s.year, s.score desc;
