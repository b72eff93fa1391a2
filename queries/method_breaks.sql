-- Years where an index changed its method. Params: $index. Grain: one row per break.
select year, label_vi, label_en, note_vi, note_en from method_break where index_name = $index order by year;
