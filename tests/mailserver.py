"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the alert delivery tests: it keeps what it
accepts and refuses what a test plans."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a real SMTP server -----------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts, and refuses what a test plans."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the mail and the plans of the last test."""
        self.accepted: list[tuple[str, list[str], bytes]] = []
        self.data_replies: list[str] = []  # answers to DATA, one per transaction, before 250
        self.rcpt_replies: dict[str, str] = {}  # address -> refusal

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Refuse an address the test names; take the others."""
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Answer from the plan, then accept and keep the message."""
        if self.data_replies:
            return self.data_replies.pop(0)
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """One account: kelisim / right-password."""
    good = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (b"kelisim", b"right-password")
    return AuthResult(success=good, handled=False)


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[Controller]:
    """aiosmtpd on 127.0.0.1, with AUTH offered without TLS (for the login tests)."""
    controller = Controller(Mailbox(), hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticate, auth_require_tls=False)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Controller) -> Mailbox:
    """The server's mailbox, emptied for this test."""
    smtp_server.handler.reset()
    return smtp_server.handler
