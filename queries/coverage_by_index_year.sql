-- How many provinces have a total figure (score or rank) per index and year, by provenance, and how many
-- provinces were in force that year (63 before the 2025 merger, 34 from it).
-- Params: none. Grain: one row per index and year.
with t as (
    select index_name, year, province_code, provenance, rank_provenance, score, rank
    from province_score
    where measure_code = 'total' and (score is not null or rank is not null)
),
n as (
    select y.year, count(p.province_code) as n_provinces
    from (select distinct year from t) y
    join province_scheme ps on ps.year = y.year
    join province p
      on p.scheme = ps.scheme
     and coalesce(p.valid_from_year, 0) <= y.year and coalesce(p.valid_to_year, 9999) >= y.year
    group by y.year
)
select
    t.index_name,
    t.year,
    any_value(n.n_provinces)                                  as n_provinces,
    count(*)                                                  as n_held,
    count(*) filter (where t.provenance = 'published')        as n_published,
    count(*) filter (where t.provenance = 'derived')          as n_derived,
    count(*) filter (where t.provenance = 'illustrative')     as n_illustrative,
    count(*) filter (where t.score is not null)               as n_score,
    count(*) filter (where t.rank is not null and t.rank_provenance = 'published') as n_rank_published
from t
join n on n.year = t.year
group by t.index_name, t.year
order by t.index_name, t.year;
