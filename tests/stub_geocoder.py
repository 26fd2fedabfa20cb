"""A local stand-in for the BAN and Nominatim HTTP APIs, on 127.0.0.1, answering in their
recorded formats (``tests/fixtures/``, see its README).

Each service has a script: a list of replies consumed one per request (the last one repeats).
Every request is recorded with its path, parameters and arrival time.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    body: object = None
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    service: str
    params: dict
    at: float


def ban_answer(label, lat, lon, *, score=0.95, kind="housenumber", postcode="13002", citycode="13202"):
    """A BAN search response in the recorded format, moved to the given place."""
    payload = fixture("ban_search_housenumber_rue_yves_toudic.json")
    feature = payload["features"][0]
    feature["geometry"]["coordinates"] = [lon, lat]
    feature["properties"].update(label=label, name=label.split(" 130")[0], score=score, type=kind,
                                 postcode=postcode, citycode=citycode, city="Marseille",
                                 context="13, Bouches-du-Rhône, Provence-Alpes-Côte d'Azur")
    payload["query"] = label
    return payload


def nominatim_answer(display_name, lat, lon, *, category="tourism", kind="museum"):
    """A Nominatim search response in the recorded format, moved to the given place."""
    payload = fixture("nominatim_search_cologne_cathedral.json")
    result = payload[0]
    result.update(lat=str(lat), lon=str(lon), display_name=display_name, type=kind, importance=0.61)
    result["class"] = category
    result["address"] = {"tourism": display_name.split(",")[0], "city": "Marseille", "postcode": "13002",
                         "country": "France", "country_code": "fr"}
    return payload


BAN_NO_RESULT = fixture("ban_search_no_results.json")
NOMINATIM_NO_RESULT = fixture("nominatim_search_no_results.json")


class StubGeocoder:
    """Serve ``/ban/search`` and ``/nominatim/search`` from scripted replies."""

    def __init__(self):
        self.scripts: dict[str, list[Reply]] = {
            "ban": [Reply(BAN_NO_RESULT)],
            "nominatim": [Reply(NOMINATIM_NO_RESULT)],
        }
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                service = parts.path.strip("/").split("/")[0]
                with stub._lock:
                    stub.requests.append(Request(service, parse_qs(parts.query), time.monotonic()))
                    script = stub.scripts.get(service)
                    reply = (script.pop(0) if len(script) > 1 else script[0]) if script else Reply(status=404)
                time.sleep(reply.delay)
                body = json.dumps(reply.body).encode() if reply.body is not None else b"{}"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def script(self, service: str, *replies: Reply) -> None:
        self.scripts[service] = [copy.deepcopy(reply) for reply in replies]

    def count(self, service: str) -> int:
        return sum(1 for request in self.requests if request.service == service)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
