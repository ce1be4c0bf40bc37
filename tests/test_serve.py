"""`kelisim serve` for real: a server process on a free port of 127.0.0.1 answers the API with
a token and refuses without one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from kelisim.store import Store
from kelisim.users import Accounts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    db = tmp_path / "k.db"
    with Store.open(f"sqlite:///{db}") as store:
        accounts = Accounts(store)
        accounts.add("admin", "верный-пароль-2024", "admin")
        token = accounts.new_token("admin")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kelisim.cli", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            time.sleep(0.2)
    yield base, token
    process.terminate()
    process.wait(timeout=20)


def test_the_server_answers_with_a_token_and_refuses_without(server):
    base, token = server
    assert httpx.get(f"{base}/api/alerts").status_code == 401
    answer = httpx.get(f"{base}/api/alerts", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json() == {"total": 0, "limit": 50, "offset": 0,
                                                           "items": []}
    assert "/api/incidents" in httpx.get(f"{base}/openapi.json").json()["paths"]
