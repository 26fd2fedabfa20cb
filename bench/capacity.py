"""``python -m bench.capacity``: how many visitors a second this machine serves (issue 20). A visitor, spoken at the
WebSocket level as Streamlit's page speaks it: the Carte run to its end (page load), then a search (one filter),
each timed from its request to Streamlit's « script finished ». Visitors arrive at a steady rate (open loop, so a
slow server is not spared new arrivals) for a while, then a burst arrives at once; for one process served
directly, then for the shipped set-up: several processes behind nginx (deploy/nginx/, sticky sessions).

    python -m bench.capacity --rates 5,10,15,20,25 --seconds 15 --burst 40 --processes 2

The load client runs on the same machine (its CPU counts against the servers', as on a venue's laptop).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from bench.proxy import Nginx
from tests.support import serve_app

TARGET_RATE, TARGET_P95, TARGET_BURST_P95 = 20, 1.0, 3.0
QUERY = "restaurant"


def _back(**state) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo

    message = BackMsg()
    message.rerun_script.CopyFrom(ClientState(context_info=ContextInfo(timezone="Europe/Paris", locale="fr-FR"),
                                              **state))
    return message.SerializeToString()


async def _until_finished(socket, found: dict) -> int:
    """Read the session's messages until its script run ends; note the search box's id and the page's hash."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    received = 0
    while True:
        raw = await socket.recv()
        received += len(raw)
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            found.setdefault("page", message.new_session.page_script_hash)
        elif kind == "delta" and "search" not in found:
            element = message.delta.new_element
            if element.WhichOneof("type") == "text_input" and element.text_input.label == "Recherche":
                found["search"] = element.text_input.id
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            return received  # a run that ends early for another (st.rerun) is not the end
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            raise RuntimeError("the page did not compile")


COMPRESSION: dict = {"on": False}  # --compression: the servers offer permessage-deflate and the client takes it


async def visitor(base: str, timeout: float = 60) -> tuple[float, float, int]:
    """One visitor: (page load seconds, filter seconds, bytes received); the HTML page fetched first, as a browser
    does, for its cookie behind nginx."""
    import websockets

    began = time.monotonic()
    cookie = await asyncio.to_thread(_first_answer_cookie, base)
    headers = {"Cookie": cookie} if cookie else {}
    found: dict = {}
    async with websockets.connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  additional_headers=headers, max_size=None,
                                  compression="deflate" if COMPRESSION["on"] else None,
                                  open_timeout=timeout) as socket:
        await socket.send(_back(query_string=""))
        received = await asyncio.wait_for(_until_finished(socket, found), timeout)
        loaded = time.monotonic() - began
        from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

        began = time.monotonic()
        await socket.send(_back(query_string=f"q={QUERY}", page_script_hash=found.get("page", ""),
                                widget_states=WidgetStates(widgets=[WidgetState(id=found["search"],
                                                                                string_value=QUERY)])))
        received += await asyncio.wait_for(_until_finished(socket, found), timeout)
        return loaded, time.monotonic() - began, received


def _first_answer_cookie(base: str) -> str:
    with urllib.request.urlopen(base, timeout=30) as answer:
        answer.read()
        cookie = answer.headers.get("Set-Cookie", "")
    return cookie.split(";")[0]


async def _arrivals(base: str, rate: float, seconds: float) -> list:
    tasks = []
    for index in range(int(rate * seconds)):
        tasks.append(asyncio.create_task(visitor(base)))
        await asyncio.sleep(max(0.0, (index + 1) / rate - (time.monotonic() - _arrivals.began)))
    return await asyncio.gather(*tasks, return_exceptions=True)


def steady(base: str, rate: float, seconds: float) -> list:
    _arrivals.began = time.monotonic()  # type: ignore[attr-defined]
    return asyncio.run(_arrivals(base, rate, seconds))


def burst(base: str, count: int) -> list:
    async def together():
        return await asyncio.gather(*(visitor(base) for _ in range(count)), return_exceptions=True)
    return asyncio.run(together())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else (values[0] if values else float("nan"))


def summary(label: str, results: list) -> tuple[float, int]:
    done = [r for r in results if isinstance(r, tuple)]
    failed = len(results) - len(done)
    loads = [r[0] for r in done]
    filters = [r[1] for r in done]
    worst = p95(loads)
    print(f"  {label:<34} {len(done):>4} visiteurs, {failed} en échec ; chargement médiane "
          f"{statistics.median(loads) if loads else float('nan'):.2f} s, p95 {worst:.2f} s ; filtre médiane "
          f"{statistics.median(filters) if filters else float('nan'):.2f} s, p95 {p95(filters):.2f} s ; "
          f"{statistics.median([r[2] for r in done]) / 1e6 if done else 0:.2f} Mo reçus par visiteur", flush=True)
    return worst, failed


def cpu_seconds(ports: list[int]) -> float:
    """CPU time used so far by the app processes listening on ``ports`` (user + system, from /proc)."""
    total = 0.0
    for port in ports:
        found = subprocess.run(["pgrep", "-f", f"server.port {port} "], capture_output=True, text=True)
        for pid in found.stdout.split():
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def curve(base: str, rates: list[float], seconds: float, count: int, ports: list[int]) -> None:
    for _ in range(3):  # warm: the first sessions of each process
        burst(base, 2)
    for rate in rates:
        used = cpu_seconds(ports)
        results = steady(base, rate, seconds)
        used = cpu_seconds(ports) - used
        worst, failed = summary(f"{rate:g} visiteurs/s pendant {seconds:g} s", results)
        print(f"    CPU des serveurs : {used / max(1, len(results)):.3f} s par visiteur", flush=True)
        verdict = "tenu" if worst <= TARGET_P95 and not failed else "non tenu"
        print(f"    → p95 ≤ {TARGET_P95} s sans échec : {verdict}", flush=True)
        time.sleep(3)
    worst, failed = summary(f"{count} visiteurs d'un coup", burst(base, count))
    print(f"    → p95 ≤ {TARGET_BURST_P95} s : {'tenu' if worst <= TARGET_BURST_P95 and not failed else 'non tenu'}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity")
    parser.add_argument("--rates", default="5,10,15,20,25")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", choices=("un", "plusieurs"), default=None)
    parser.add_argument("--compression", action="store_true", help="server.enableWebsocketCompression")
    args = parser.parse_args()
    COMPRESSION["on"] = args.compression
    env = {"STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "true"} if args.compression else {}
    rates = [float(rate) for rate in args.rates.split(",")]
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
        if args.only != "plusieurs":
            print("Un processus, servi directement (données livrées) :", flush=True)
            server = serve_app(Path(scratch) / "seul.log", env)
            url = next(server)
            curve(url, rates, args.seconds, args.burst, [int(url.rsplit(":", 1)[1])])
            next(server, None)
        if args.only != "un":
            print(f"{args.processes} processus derrière nginx (deploy/nginx/, sessions persistantes) :", flush=True)
            upstreams = []
            for index in range(args.processes):
                server = serve_app(Path(scratch) / f"processus-{index}.log", env)
                upstreams.append(next(server).removeprefix("http://"))
                stack.callback(lambda s=server: next(s, None))
            base = stack.enter_context(Nginx(Path(scratch) / "nginx", upstreams))
            curve(base, rates, args.seconds, args.burst, [int(u.rsplit(":", 1)[1]) for u in upstreams])


if __name__ == "__main__":
    main()
