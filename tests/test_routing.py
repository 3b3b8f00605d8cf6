"""The one patch of Streamlit's internals (disclosure/ui/routing.py) against the Streamlit installed: if this fails,
Streamlit changed how a pages/ folder beside the entrypoint routes a first deep link — look for a supported way
before patching again. (AppTest resets the switch itself, so the behaviour is seen only by a real server: the
browser suite opens deep links, tests/browser/test_views.py.)"""
from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def test_streamlit_still_has_the_switch_the_workaround_turns_off():
    assert isinstance(PagesManager.uses_pages_directory, (bool, type(None)))
