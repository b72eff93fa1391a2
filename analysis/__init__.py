"""Pure analysis functions (no SQL, no Streamlit): pages call them on query results."""
