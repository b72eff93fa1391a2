"""Streamlit helpers shared by pages: language and number format, the cached database connection."""
