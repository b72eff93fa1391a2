-- Provinces per scheme (63 before 1 July 2025, 34 after). Params: none. Grain: one row per scheme.
select scheme, count(*) filter (where valid_to_year is null or valid_to_year >= 2024) as n_provinces
from province
group by scheme
order by scheme desc;
