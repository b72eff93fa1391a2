-- A framework item whose children's maxima do not add up to its own maximum.
-- vi: Bộ tiêu chí {framework_id}, mục {code}: các mục con cộng lại {children_sum} điểm, khác điểm tối đa {max_points}
-- en: Framework {framework_id}, item {code}: its children add up to {children_sum} points, not its maximum {max_points}
-- Params: none. Grain: one row per framework item with children.
select p.framework_id, p.code, p.max_points, sum(c.max_points) as children_sum
from framework_item p
join framework_item c on c.framework_id = p.framework_id and c.parent_code = p.code
group by p.framework_id, p.code, p.max_points
having abs(sum(c.max_points) - p.max_points) > 1e-6
order by p.framework_id, p.code
