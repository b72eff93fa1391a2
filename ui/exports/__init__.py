"""Files that leave the app: a table as .xlsx or CSV with its notes sheet (tabular.py, through the direct .xlsx writer
xlsx.py) and the plan and report as Word documents (word.py, their charts word_charts.py). The download buttons
that offer them are widgets (ui/tables.py, the pages); the PowerPoint pack is the briefing's (ui/briefing/)."""
