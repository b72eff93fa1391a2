"""The data administration face: signing in (face.py over etl/accounts.py, or the old shared password and the
throttle of failed sign-ins in auth.py), upload, validation report, load, history, rollback and templates (face.py
over etl's own loading). The page is app_pages/admin.py."""
