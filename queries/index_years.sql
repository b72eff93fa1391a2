-- Which years each index has, how many provinces, and whether any value is illustrative.
-- Params: none. Grain: one row per index and year.
select
    index_name,
    year,
    count(distinct province_code) filter (where measure_code = 'total')  as n_provinces,
    bool_or(provenance = 'illustrative')                                 as has_illustrative,
    count(*) filter (where measure_depth = 'domain')                     as n_domain_values
from province_scores
group by index_name, year
order by index_name, year;
