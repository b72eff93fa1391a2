-- Provinces per scheme (63 before 1 July 2025, 34 after): those in force in the scheme's last year (table
-- province_scheme). Params: none. Grain: one row per scheme.
with last_year as (
    select scheme, max(year) as year from province_scheme group by scheme
)
select p.scheme, count(*) filter (where coalesce(p.valid_to_year, 9999) >= l.year) as n_provinces
from province p
join last_year l on l.scheme = p.scheme
group by p.scheme
order by p.scheme desc;
