-- Which years each index has, how many provinces, and whether any value is illustrative.
-- Params: none. Grain: one row per index and year. Reads the table, not the province_scores view: the view's
-- name joins are not needed here.
select
    s.index_name,
    s.year,
    count(distinct s.province_code) filter (where s.measure_code = 'total')  as n_provinces,
    bool_or(s.provenance = 'illustrative')                                   as has_illustrative,
    count(*) filter (where m.depth = 'domain')                               as n_domain_values
from province_score s
left join measure m on m.index_name = s.index_name and m.year = s.year and m.measure_code = s.measure_code
group by s.index_name, s.year
order by s.index_name, s.year;
