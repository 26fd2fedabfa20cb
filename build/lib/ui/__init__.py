"""Streamlit glue shared by the pages: cached data, filters in the sidebar and the URL, maps."""
