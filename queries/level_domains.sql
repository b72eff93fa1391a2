-- The domains of a level's frameworks (code and the name of its newest framework), for the unit export's
-- domain filter. Params: $level. Grain: one row per domain code.
select code,
       arg_max(fi.name_vi, f.year_from) as name_vi,
       arg_max(fi.name_en, f.year_from) as name_en
from framework f
join framework_item fi on fi.framework_id = f.framework_id
where f.level = $level and fi.depth = 'domain'
group by code
order by try_cast(code as integer), code;
