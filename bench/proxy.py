"""nginx in front of app processes as the repository ships it (deploy/nginx/), for the benchmarks: a wrapper
configuration around the shipped files, started in a scratch folder, stopped on exit. ``tls`` serves HTTPS with
HTTP/2 (a self-signed certificate made for the run), as a real site does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from geo.files import REPO_DIR
from tests.support import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRAPPER = """
worker_processes auto;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    log_format carte '$cookie_carte_serveur $status $request_uri $upstream_addr';
    access_log {access};
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    include {repo}/deploy/nginx/http.conf;
    upstream carte {{
{servers}
        include {repo}/deploy/nginx/upstream.conf;
    }}
    server {{
        listen 127.0.0.1:{port}{tls};
{certificate}
        include {repo}/deploy/nginx/site.conf;
    }}
}}
"""


class Nginx:
    def __init__(self, prefix: Path, upstreams: list[str], *, tls: bool = False, logged: bool = False):
        """``logged``: each request in ``prefix/access.log`` as « server key, status, address, upstreams »."""
        prefix.mkdir(parents=True, exist_ok=True)
        self.port, self.tls = free_port(), tls
        certificate = ""
        if tls:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                            "/CN=127.0.0.1", "-keyout", str(prefix / "cle.pem"), "-out", str(prefix / "cert.pem")],
                           check=True, capture_output=True, timeout=60)
            certificate = (f"        ssl_certificate {prefix / 'cert.pem'};\n"
                           f"        ssl_certificate_key {prefix / 'cle.pem'};")
        (prefix / "nginx.conf").write_text(WRAPPER.format(
            prefix=prefix, repo=REPO_DIR, port=self.port, access=f"{prefix}/access.log carte" if logged else "off",
            tls=" ssl http2" if tls else "", certificate=certificate,
            servers="\n".join(f"        server {address};" for address in upstreams)))
        self.command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]

    def __enter__(self) -> str:
        subprocess.run(self.command, check=True, capture_output=True, timeout=20)
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        subprocess.run([*self.command, "-s", "stop"], capture_output=True, timeout=20)
