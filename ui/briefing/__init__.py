"""The briefing for a meeting (the page app_pages/briefing.py): model.py says what a screen is (headline, chart as data,
palette), screens.py builds the sequence from the data, present.py draws a screen's chart with plotly and pack.py
writes the PowerPoint pack. The renderers import the model, never each other or screens.py."""
