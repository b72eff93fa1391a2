-- Published national statistics (e.g. the mean of the 63 provinces) with their source.
-- Params: $index. Grain: one row per year, measure and statistic.
select year, measure_code, stat, value, provenance, source_key, note
from national_stat
where index_name = $index
order by year, measure_code;
