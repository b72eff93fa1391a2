-- The lines of the province's plan for one year, in order. Params: $plan_year. Grain: one row per plan line.
select plan_year, line_no, scope, index_name, level, item_code, item_name, agency, target_kind, target_value,
       deadline, actions, provenance, updated_by, updated_at
from plan_line
where plan_year = $plan_year
order by line_no;
