"""The one workaround of Streamlit's routing, kept apart with a test that fails when Streamlit changes it
(tests/test_routing.py): a pages/ folder beside the entrypoint switches Streamlit to folder routing on the first deep
link, and no supported option turns that off."""
from __future__ import annotations

import streamlit as st


def leave_folder_routing() -> None:
    """A deep link opened first after start-up (/upload) runs the page bare, through Streamlit's old
    pages/ folder routing, because dashboard.py has not yet declared the navigation. Switch that routing
    off and run again, so dashboard.py's page config, sidebar and navigation surround every page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
