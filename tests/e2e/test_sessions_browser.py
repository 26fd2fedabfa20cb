"""A staff session cannot be borrowed (issue 17, item 6): a websocket that names a signed-in session's id — as
it appears in every upload URL, so in proxy logs — reattaches to the session but not to its sign-in; the same
browser, reconnecting with the cookie its page set, stays signed in."""

from __future__ import annotations

import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tests.e2e.test_contributions_browser import sign_in, staff_app  # noqa: F401 (the fixture)
from tests.support import Visit

pytestmark = pytest.mark.browser


def pages_offered(url: str, session_id: str, cookie: str = "", page: str = "equipe") -> list[str]:
    """Join session ``session_id`` over a websocket of our own (as anyone who read the id can), run ``page``,
    and return the pages its navigation offers."""
    headers = {"Cookie": cookie} if cookie else {}
    with connect(url.replace("http", "ws") + "/_stcore/stream", origin=url, additional_headers=headers,
                 subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN", session_id], open_timeout=10) as socket:
        rerun = BackMsg()
        rerun.rerun_script.page_name = page
        socket.send(rerun.SerializeToString())
        pages, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            message = ForwardMsg.FromString(socket.recv(timeout=30))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                assert message.new_session.initialize.session_id == session_id  # the session was joined
            elif kind == "navigation":
                pages = [app_page.page_name for app_page in message.navigation.app_pages]
            elif kind == "script_finished" and pages is not None:
                return pages
    raise AssertionError("the run never finished")


def signed_in_session(visit: Visit, url: str) -> str:
    """Sign in as staff in the browser; return the session's id, read from the server's first message."""
    ids: list[str] = []

    def read(socket):
        def frame(payload):
            if isinstance(payload, bytes):
                message = ForwardMsg.FromString(payload)
                if message.WhichOneof("type") == "new_session":
                    ids.append(message.new_session.initialize.session_id)
        socket.on("framereceived", frame)

    visit.page.on("websocket", read)
    sign_in(visit, url)
    visit.page.get_by_role("link", name="Contribuer").first.wait_for(timeout=30_000)
    return ids[-1]


def test_a_borrowed_session_id_does_not_sign_anyone_in(staff_app, visit):  # noqa: F811
    session_id = signed_in_session(visit, staff_app)
    offered = pages_offered(staff_app, session_id)
    assert "Contribuer" not in offered and "Espace équipe" in offered  # before: Contribuer, signed in
    assert "Contribuer" not in pages_offered(staff_app, session_id, page="contribuer")


def test_the_same_browser_reconnecting_with_its_cookie_stays_signed_in(staff_app, visit):  # noqa: F811
    session_id = signed_in_session(visit, staff_app)
    visit.page.wait_for_timeout(500)
    kept = [cookie for cookie in visit.context.cookies() if cookie["name"].startswith("carte_equipe_")]
    assert len(kept) == 1 and kept[0]["sameSite"] == "Strict" and kept[0]["expires"] > time.time() + 1700
    cookie = f"{kept[0]['name']}={kept[0]['value']}"
    assert "Contribuer" in pages_offered(staff_app, session_id, cookie=cookie)
    forged = f"{kept[0]['name']}={kept[0]['value'][:-2]}xx"
    assert "Contribuer" not in pages_offered(staff_app, session_id, cookie=forged)
