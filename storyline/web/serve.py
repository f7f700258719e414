"""Run the web UI with uvicorn (`storyline serve`)."""
from __future__ import annotations

import socket
import sys

from ..errors import Codes, StorylineError
from .app import check_host, create_app


class ServeError(StorylineError):
    """The web server cannot start."""


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8765) -> int:
    import uvicorn

    try:  # fail with one line before uvicorn starts when the address cannot be used
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise ServeError(Codes.E401, f"{host}:{port}: {exc.strerror or exc}") from None
    warning = check_host(host)
    if warning:
        print(warning, file=sys.stderr)
    app = create_app(db_path)
    print(f"storyline: serving {db_path} at http://{'[' + host + ']' if ':' in host else host}:{port}/ "
          "(Ctrl-C to stop)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
    return 0
