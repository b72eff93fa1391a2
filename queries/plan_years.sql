-- The years the database holds a plan for, newest first. Params: none. Grain: one row per plan year.
select plan_year, count(*) as n_lines, bool_or(provenance = 'illustrative') as illustrative,
       max(updated_at) as updated_at
from plan_line
group by plan_year
order by plan_year desc;
