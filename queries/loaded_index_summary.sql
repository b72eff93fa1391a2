-- What is loaded per index: years covered, provinces, rows by provenance.
-- Params: none. Grain: one row per index.
with s as (
    select index_name, year, province_code, provenance
    from province_score
    where score is not null or rank is not null
)
select
    d.index_name,
    d.name_vi,
    d.name_en,
    min(s.year)                                              as first_year,
    max(s.year)                                              as last_year,
    count(distinct s.year)                                   as n_years,
    count(distinct s.province_code)                          as n_provinces,
    count(*) filter (where s.provenance = 'published')       as n_published,
    count(*) filter (where s.provenance = 'derived')         as n_derived,
    count(*) filter (where s.provenance = 'illustrative')    as n_illustrative
from index_def d
left join s on s.index_name = d.index_name
group by d.index_name, d.name_vi, d.name_en
order by case d.index_name when 'PAR INDEX' then 1 when 'SIPAS' then 2 when 'PAPI' then 3 else 4 end;
