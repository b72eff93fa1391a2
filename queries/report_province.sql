-- One province for a report: on the 63-province list (its figures before 2025: the former province of the same name,
-- else the one whose code the new province kept), its 2025 successor, and the codes its units carry (those of every
-- province merged into that successor; the new code is always one of them).
-- Params: $p34 (a 34-province code, or null for the home province). Grain: one row.
with chosen as (
    select coalesce(
        (select p.province_code from province p
         join province_crosswalk c on c.old_code = p.province_code and c.new_scheme = 'p34'
         where p.scheme = 'p63' and c.new_code = $p34::varchar
         order by (p.name_vi = (select name_vi from province where scheme = 'p34' and province_code = $p34::varchar))
                  desc, (p.province_code = $p34::varchar) desc
         limit 1),
        (select value from setting where key = 'home_province_p63')) as code
),
successor as (
    select c.new_code from province_crosswalk c, chosen where c.old_code = chosen.code and c.new_scheme = 'p34'
)
select p.province_code as code_p63, p.name_vi as name_p63_vi,
       n.province_code as code_p34, n.name_vi as name_p34_vi,
       coalesce((select list(distinct c.old_code order by c.old_code) from province_crosswalk c
                 where c.new_scheme = 'p34' and c.new_code = (select new_code from successor)),
                [p.province_code]) as unit_codes
from chosen
join province p on p.province_code = chosen.code and p.scheme = 'p63'
left join province n on n.province_code = (select new_code from successor) and n.scheme = 'p34';
