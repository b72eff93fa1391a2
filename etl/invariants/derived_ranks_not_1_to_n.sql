-- Ranks that were all computed (derived or illustrative, none published) for an index, year and measure but do not
-- run from 1 to at most the number of provinces ranked (ties share the best rank).
-- vi: {index_name} năm {year}, chỉ tiêu {measure_code}: thứ hạng tính toán từ {min_rank} đến {max_rank} cho {n} tỉnh (cần bắt đầu từ 1 và không quá {n})
-- en: {index_name} {year}, measure {measure_code}: computed ranks run from {min_rank} to {max_rank} for {n} provinces (they must start at 1 and not exceed {n})
-- Params: none. Grain: one row per index, year and measure.
select index_name, year, measure_code, count(*) as n, min(rank) as min_rank, max(rank) as max_rank
from province_score
where rank is not null
group by index_name, year, measure_code
having bool_and(rank_provenance <> 'published') and (min(rank) <> 1 or max(rank) > count(*))
order by index_name, year, measure_code
