-- The units of one level with their lineage (successor after a merger) and validity.
-- Params: $level, $provinces (varchar[], ui.units.scope). Grain: one row per unit.
select unit_id, name_vi as unit_name, name_en as unit_name_en, province_code, parent_unit_id,
       valid_from_year, valid_to_year, successor_id, provenance
from unit
where level = $level and list_contains($provinces, province_code)
order by valid_from_year, name_vi collate vi;
