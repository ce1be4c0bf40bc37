"""SSRF: alert webhooks go through the fetcher's guard. A webhook whose host is private,
loopback, link-local (cloud metadata) or otherwise not public is refused, at once and for good,
unless its channel says ``allow_private = true``; the check runs again when the connection is
made, so a name that resolves elsewhere by then is refused too. (The fetcher's own guard is
tested in tests/test_fetch.py and tests/test_collect.py.)
"""

from __future__ import annotations

import pytest

from kelisim.net.guard import Blocked
from kelisim.warning.channels import ChannelConfigError, WebhookChannel, channel_from_config
from kelisim.warning.delivery import _client, deliver, message_for
from tests.conftest_http import http_server  # noqa: F401
from tests.test_delivery import SPIKE, no_sleep

BLOCKED = ["http://127.0.0.1:{port}/hook", "http://localhost:{port}/hook",
           "http://[::1]:{port}/hook", "http://[::ffff:127.0.0.1]:{port}/hook",
           "http://2130706433:{port}/hook", "http://0.0.0.0:{port}/hook",
           "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook",
           "http://192.168.1.1/hook", "http://100.64.0.1/hook", "http://[fd00::1]/hook"]


@pytest.mark.parametrize("url", BLOCKED)
def test_a_webhook_to_a_non_public_address_is_refused(url, http_server):  # noqa: F811
    http_server.static("/hook", "ok")
    channel = WebhookChannel("apk", url.format(port=http_server.port), timeout=1.0)
    result = deliver(channel, message_for(SPIKE), retries=3, sleep=no_sleep([]))
    assert not result.ok and result.permanent and result.attempts == 1
    assert "address" in result.error and "allow_private = true" in result.error
    assert http_server.received() == []


def test_allow_private_lets_a_webhook_reach_the_own_network(http_server):  # noqa: F811
    http_server.static("/hook", "ok")
    channel = WebhookChannel("apk", http_server.url("/hook"), timeout=1.0, allow_private=True)
    assert deliver(channel, message_for(SPIKE), sleep=no_sleep([])).ok
    assert len(http_server.received("/hook")) == 1


def test_the_connection_itself_is_guarded(http_server):  # noqa: F811
    """What the check before the request would miss (a name re-resolved to a private address
    by the time of the connection) the connection refuses: it is made to vetted addresses."""
    http_server.static("/hook", "ok")
    channel = WebhookChannel("apk", "https://hooks.example.kz/kelisim", timeout=1.0)
    with _client(channel) as client, pytest.raises(Blocked):
        client.post(http_server.url("/hook"), content=b"{}")
    assert http_server.received() == []


def test_allow_private_is_read_from_the_channel_table():
    table = {"kind": "webhook", "url": "http://10.1.2.3/hook"}
    assert not channel_from_config("lan", table, {}).allow_private
    assert channel_from_config("lan", {**table, "allow_private": True}, {}).allow_private
    with pytest.raises(ChannelConfigError, match="allow_private"):
        channel_from_config("lan", {**table, "allow_private": "yes"}, {})
