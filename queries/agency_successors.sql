-- The home province's agencies (units) that no longer exist in a year, with the unit that took over their work
-- (the 2025 restructuring merged Sở Thông tin và Truyền thông into Sở Khoa học và Công nghệ). A framework names
-- the responsible agency by name: targets for a later year go to the successor (or are flagged without one).
-- Params: $year, $home (the home province's codes: queries/home_unit_codes.sql). Grain: one row per former unit name.
with home_units as (
    select * from unit where list_contains($home::varchar[], province_code)
)
select distinct o.name_vi, o.name_en, n.name_vi as successor_vi, n.name_en as successor_en
from home_units o
left join home_units n on n.unit_id = o.successor_id
where o.valid_to_year is not null and o.valid_to_year < $year
  and not exists (select 1 from home_units s where s.name_vi = o.name_vi
                  and s.valid_from_year <= $year and (s.valid_to_year is null or s.valid_to_year >= $year))
order by o.name_vi;
