"""Alert delivery against a real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import tomllib
from collections.abc import Iterator
from email import message_from_bytes, policy
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kelisim.warning.channels import (
    ChannelConfigError,
    EmailChannel,
    WebhookChannel,
    channel_from_config,
)
from kelisim.warning.delivery import (
    USER_AGENT,
    AlertMessage,
    deliver,
    email_for,
    header_key,
    message_for,
    send,
    webhook_body,
)

if __package__:
    from .mailserver import Mailbox, free_port, mailbox, smtp_server  # noqa: F401
else:
    from mailserver import Mailbox, free_port, mailbox, smtp_server  # noqa: F401


if __package__:  # tests/ is a package
    from .httpserver import HttpServer
    from .shared_data import read_seed
else:
    from httpserver import HttpServer
    from shared_data import read_seed

BASE = "https://kelisim.example.kz/"
SECRET = "s3cret-for-tests"
SPIKE = {
    "id": 17, "key": "spike:hostility-watch:310000000:hostile:2024-03-14", "kind": "spike",
    "rule": "hostility-watch", "signal": "hostile",
    "unit": {"kato": "310000000", "name": "Жамбылская область", "level": "region"},
    "day": "2024-03-14", "fired_at": "2024-03-14T23:59:59+00:00", "status": "new",
    "observed": 7, "expected": 1.3, "p_value": 0.00021,
    "summary": "7 враждебных публикаций за день при обычных 1,3.", "source": None,
    "evidence": [
        {"document_id": 12, "title": "В Кордайском районе снова конфликт у рынка",
         "url": "https://example.kz/news/12", "published": "2024-03-14", "source": "Tengrinews",
         "spans": [{"start": 10, "end": 25, "text": "выгнать их всех из села",
                    "kind": "expulsion_call"}]},
        {"document_id": 15, "title": "Жители Масанчи требуют разобраться", "url": None,
         "published": "2024-03-14T09:30:00+05:00", "source": "Orda.kz",
         "spans": [{"start": 0, "end": 9, "text": "это они во всём виноваты",
                    "kind": "collective_blame"}]},
    ],
}
SILENCE = {
    "id": 18, "key": "silence:sources:3:2024-03-14", "kind": "silence", "rule": "sources",
    "signal": None, "unit": None, "day": "2024-03-14", "fired_at": "2024-03-14T12:00:00+00:00",
    "status": "new", "observed": 0, "expected": 12.0, "p_value": 0.0000061,
    "summary": "Tengrinews молчит с 13.03.2024 06:10.", "source": {"id": 3, "name": "Tengrinews"},
    "evidence": [],
}


def search_alert() -> dict:
    """A saved-search alert whose evidence is seed 000, with a span at its real offsets."""
    text = read_seed("000")
    phrase = "трагические события в Кордайском районе"
    start = text.index(phrase)
    document = {"document_id": 1, "title": text.splitlines()[0], "url": None,
                "published": "2020-02-20", "source": "Казинформ",
                "spans": [{"start": start, "end": start + len(phrase),
                           "text": text[start:start + len(phrase)], "kind": "match"}]}
    copies = [dict(document, document_id=n) for n in range(1, 8)]
    return {"id": 21, "key": "search:кордай:2020-02-20", "kind": "search", "rule": "кордай",
            "signal": None, "unit": {"kato": "314800000", "name": "Кордайский район",
                                     "level": "district"},
            "day": "2020-02-20", "fired_at": "2020-02-20T18:00:00+00:00", "status": "new",
            "observed": None, "expected": None, "p_value": None,
            "summary": "7 новых документов по запросу «кордай».", "source": None,
            "evidence": copies}


def no_sleep(pauses: list[float]):
    """A sleep that records the pauses instead of waiting."""
    return pauses.append


def email_channel(port: int, **changes: object) -> EmailChannel:
    """A channel to two duty analysts."""
    settings = {"name": "duty", "host": "127.0.0.1", "port": port,
                "sender": "kelisim@example.kz",
                "recipients": ("analyst@example.kz", "apk@example.kz"), "timeout": 2.0}
    return EmailChannel(**{**settings, **changes})


def test_email_arrives_with_subject_cyrillic_body_recipients_and_ids(smtp_server, mailbox):
    message = message_for(SPIKE, BASE)
    result = deliver(email_channel(smtp_server.port), message, sleep=no_sleep([]))
    assert result.ok and result.attempts == 1 and result.error is None
    [(sender, recipients, content)] = mailbox.accepted
    assert sender == "kelisim@example.kz"
    assert recipients == ["analyst@example.kz", "apk@example.kz"]
    mail = message_from_bytes(content, policy=policy.default)
    assert mail["Subject"] == "Kelisim: всплеск враждебных публикаций — Жамбылская область, " \
        "14.03.2024"
    assert mail.get_body().get_content() == message.text
    assert "«выгнать их всех из села»" in mail.get_body().get_content()
    digest = hashlib.sha256(SPIKE["key"].encode()).hexdigest()[:32]
    assert mail["Message-ID"] == f"<{digest}@kelisim>"
    assert mail["X-Kelisim-Alert"] == SPIKE["key"]
    assert mail["To"] == "analyst@example.kz, apk@example.kz"
    assert mail["Auto-Submitted"] == "auto-generated"


WORDS = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяӘәҒғҚқҢңӨөҰұҮүҺһІіABCxyz019«»—,.:",
                min_size=1, max_size=12)


@given(st.lists(WORDS, min_size=1, max_size=25))
def test_any_one_line_subject_survives_encoding_and_folding(words):
    subject = " ".join(words)
    mail = email_for(email_channel(25), AlertMessage("k", subject, "текст", {}))
    assert message_from_bytes(mail.as_bytes(), policy=policy.default)["Subject"] == subject


def test_a_resend_of_one_alert_carries_the_same_message_id(smtp_server, mailbox):
    channel = email_channel(smtp_server.port)
    send(channel, message_for(SPIKE))
    send(channel, message_for(SPIKE))
    send(channel, message_for(SILENCE))
    ids = [message_from_bytes(c, policy=policy.default)["Message-ID"] for _, _, c in
           mailbox.accepted]
    assert ids[0] == ids[1] != ids[2]


def test_login_with_the_right_password_delivers(smtp_server, mailbox):
    channel = email_channel(smtp_server.port, username="kelisim", password="right-password")
    assert deliver(channel, message_for(SPIKE), sleep=no_sleep([])).ok
    assert len(mailbox.accepted) == 1


@pytest.mark.parametrize("password", ["wrong-password", "пароль"])
def test_refused_login_is_permanent_and_not_retried(smtp_server, mailbox, password):
    channel = email_channel(smtp_server.port, username="kelisim", password=password)
    pauses: list[float] = []
    result = deliver(channel, message_for(SPIKE), retries=3, sleep=no_sleep(pauses))
    assert not result.ok and result.permanent and result.attempts == 1 and pauses == []
    assert "duty" in result.error and ("535" in result.error or "ASCII" in result.error)
    assert mailbox.accepted == []


def test_smtp_server_down_is_temporary_and_retried_with_backoff():
    pauses: list[float] = []
    result = deliver(email_channel(free_port()), message_for(SPIKE), retries=2, backoff=0.5,
                     sleep=no_sleep(pauses))
    assert not result.ok and not result.permanent and result.attempts == 3
    assert pauses == [0.5, 1.0]
    assert "ConnectionRefusedError" in result.error


def test_smtp_server_that_never_greets_times_out_as_temporary():
    with socket.socket() as mute:  # accepts connections (backlog) but never says 220
        mute.bind(("127.0.0.1", 0))
        mute.listen(4)
        channel = email_channel(mute.getsockname()[1], timeout=0.2)
        result = deliver(channel, message_for(SPIKE), retries=1, sleep=no_sleep([]))
    assert not result.ok and not result.permanent and result.attempts == 2
    assert "timed out" in result.error


def test_451_twice_then_accepted_delivers_exactly_once(smtp_server, mailbox):
    mailbox.data_replies = ["451 4.3.0 Try again later"] * 2
    pauses: list[float] = []
    result = deliver(email_channel(smtp_server.port), message_for(SPIKE), retries=3,
                     backoff=0.25, sleep=no_sleep(pauses))
    assert result.ok and result.attempts == 3 and pauses == [0.25, 0.5]
    assert len(mailbox.accepted) == 1


def test_every_recipient_refused_with_5xx_is_permanent(smtp_server, mailbox):
    mailbox.rcpt_replies = {a: "550 5.1.1 No such mailbox"
                            for a in ("analyst@example.kz", "apk@example.kz")}
    result = deliver(email_channel(smtp_server.port), message_for(SPIKE), sleep=no_sleep([]))
    assert not result.ok and result.permanent and result.attempts == 1
    assert "550" in result.error and "apk@example.kz" in result.error
    assert mailbox.accepted == []


def test_recipients_refused_with_4xx_are_retried(smtp_server, mailbox):
    mailbox.rcpt_replies = {a: "450 4.2.1 Mailbox busy"
                            for a in ("analyst@example.kz", "apk@example.kz")}
    result = deliver(email_channel(smtp_server.port), message_for(SPIKE), retries=1,
                     sleep=no_sleep([]))
    assert not result.ok and not result.permanent and result.attempts == 2


def test_one_recipient_refused_is_not_retried_so_the_other_gets_no_duplicate(smtp_server,
                                                                              mailbox):
    mailbox.rcpt_replies = {"apk@example.kz": "450 4.2.1 Mailbox busy"}
    result = deliver(email_channel(smtp_server.port), message_for(SPIKE), retries=3,
                     sleep=no_sleep([]))
    assert not result.ok and result.permanent and result.attempts == 1
    assert "apk@example.kz" in result.error and "delivered" in result.error
    assert [recipients for _, recipients, _ in mailbox.accepted] == [["analyst@example.kz"]]


# --- a real HTTP receiver ---------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[HttpServer]:
    """A running HTTP server that takes POSTs, stopped after the test."""
    server = HttpServer().start()
    yield server
    server.stop()


def hook(server: HttpServer, path: str = "/hook", **changes: object) -> WebhookChannel:
    """A channel to ``path`` of the receiver, with a small timeout."""
    settings = {"name": "apk-hook", "url": server.url(path), "secret": SECRET,
                "headers": (("X-Team", "apk"),), "timeout": 2.0, "allow_private": True}
    return WebhookChannel(**{**settings, **changes})


def test_webhook_posts_the_alert_json_with_key_agent_and_a_signature_that_verifies(receiver):
    receiver.static("/hook", "", status=204)
    message = message_for(SPIKE, BASE)
    assert deliver(hook(receiver), message, sleep=no_sleep([])).ok
    [request], [body] = receiver.received("/hook"), receiver.bodies()
    assert request.method == "POST"
    assert json.loads(body) == {**SPIKE, "kelisim": {"version": 1}}
    assert "Жамбылская область".encode() in body  # UTF-8, not \u escapes
    assert body == webhook_body(message)
    headers = request.headers
    assert headers["content-type"] == "application/json"
    assert headers["idempotency-key"] == SPIKE["key"]
    assert headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("Kelisim/")
    assert headers["x-team"] == "apk"
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-kelisim-signature"], f"sha256={expected}")


def test_webhook_without_a_secret_sends_no_signature(receiver):
    receiver.static("/hook", "ok")
    assert deliver(hook(receiver, secret=None), message_for(SILENCE), sleep=no_sleep([])).ok
    assert "x-kelisim-signature" not in receiver.received("/hook")[0].headers


def test_a_non_ascii_key_is_percent_encoded_in_the_idempotency_key(receiver):
    receiver.static("/hook", "ok")
    alert = search_alert()
    assert deliver(hook(receiver), message_for(alert), sleep=no_sleep([])).ok
    sent = receiver.received("/hook")[0].headers["idempotency-key"]
    assert sent.isascii() and unquote(sent) == alert["key"]


def test_webhook_500_500_200_is_delivered_once_after_three_attempts(receiver):
    receiver.flaky("/hook", "ok", failures=2, status=500)
    pauses: list[float] = []
    result = deliver(hook(receiver), message_for(SPIKE), retries=3, backoff=0.1,
                     sleep=no_sleep(pauses))
    assert result.ok and result.attempts == 3 and pauses == [0.1, 0.2]
    assert len(receiver.received("/hook")) == 3
    assert len({r.headers["idempotency-key"] for r in receiver.received("/hook")}) == 1


@pytest.mark.parametrize("status, permanent", [
    (400, True), (401, True), (403, True), (404, True), (410, True), (422, True),
    (408, False), (429, False), (500, False), (502, False), (503, False)])
def test_webhook_status_decides_whether_to_retry(receiver, status, permanent):
    receiver.static("/hook", "nope: bad payload", status=status, content_type="text/plain")
    result = deliver(hook(receiver), message_for(SPIKE), retries=2, sleep=no_sleep([]))
    assert not result.ok and result.permanent == permanent
    assert result.attempts == (1 if permanent else 3)
    assert len(receiver.received("/hook")) == result.attempts
    assert str(status) in result.error and "apk-hook" in result.error
    assert "nope: bad payload" in result.error


def test_webhook_429_is_retried_after_the_receivers_retry_after(receiver):
    receiver.flaky("/hook", "ok", failures=1, status=429, headers={"Retry-After": "7"})
    pauses: list[float] = []
    result = deliver(hook(receiver), message_for(SPIKE), backoff=0.01, sleep=no_sleep(pauses))
    assert result.ok and result.attempts == 2 and pauses == [7.0]


def test_hanging_receiver_times_out_as_temporary(receiver):
    receiver.hang("/hook", seconds=5)
    result = deliver(hook(receiver, timeout=0.2), message_for(SPIKE), retries=1,
                     sleep=no_sleep([]))
    assert not result.ok and not result.permanent and result.attempts == 2
    assert "no answer within 0.2 s" in result.error


def test_receiver_down_is_temporary(receiver):
    channel = WebhookChannel("down", f"http://127.0.0.1:{free_port()}/hook", timeout=1.0,
                             allow_private=True)
    result = deliver(channel, message_for(SPIKE), retries=1, sleep=no_sleep([]))
    assert not result.ok and not result.permanent and result.attempts == 2


def test_a_redirect_is_permanent_and_not_followed(receiver):
    receiver.redirect("/hook", "/elsewhere", status=307)
    receiver.static("/elsewhere", "ok")
    result = deliver(hook(receiver), message_for(SPIKE), sleep=no_sleep([]))
    assert not result.ok and result.permanent and result.attempts == 1
    assert "redirect" in result.error and "/elsewhere" in result.error
    assert receiver.received("/elsewhere") == []


def test_error_messages_do_not_show_the_urls_query(receiver):
    receiver.static("/hook", "", status=404)
    channel = hook(receiver, url=receiver.url("/hook?token=abc123"))
    result = deliver(channel, message_for(SPIKE), sleep=no_sleep([]))
    assert "/hook" in result.error and "abc123" not in result.error


# --- channel_from_config ----------------------------------------------------------------------

CONFIG = """
[channel.duty]
kind = "email"
host = "smtp.example.kz"
port = 587
sender = "kelisim@example.kz"
to = ["a@example.kz", "b@example.kz"]
starttls = true
username = "kelisim"
password_env = "KELISIM_SMTP_PASSWORD"

[channel.apk]
kind = "webhook"
url = "https://hooks.example.kz/kelisim"
secret_env = "KELISIM_WEBHOOK_SECRET"
headers = {"X-Team" = "apk", "Authorization" = {env = "KELISIM_HOOK_TOKEN"}}
timeout = 5
"""
ENV = {"KELISIM_SMTP_PASSWORD": "pa55", "KELISIM_WEBHOOK_SECRET": "whsec",
       "KELISIM_HOOK_TOKEN": "Bearer t0ken"}


def tables() -> dict[str, dict]:
    """The [channel.*] tables of CONFIG, as tomllib reads them."""
    return tomllib.loads(CONFIG)["channel"]


def test_config_builds_an_email_channel_with_its_password_from_the_environment():
    channel = channel_from_config("duty", tables()["duty"], ENV)
    assert channel == EmailChannel("duty", "smtp.example.kz", 587, "kelisim@example.kz",
                                   ("a@example.kz", "b@example.kz"), starttls=True,
                                   username="kelisim", password="pa55")
    assert "pa55" not in repr(channel)


def test_config_builds_a_webhook_channel_with_its_secret_and_headers():
    channel = channel_from_config("apk", tables()["apk"], ENV)
    assert channel == WebhookChannel("apk", "https://hooks.example.kz/kelisim", secret="whsec",
                                     headers=(("X-Team", "apk"),
                                              ("Authorization", "Bearer t0ken")), timeout=5.0)
    assert "whsec" not in repr(channel) and "t0ken" not in repr(channel)


@pytest.mark.parametrize("table, port", [({"ssl": True}, 465), ({"starttls": True}, 587),
                                         ({}, 25)])
def test_email_port_defaults_to_the_modes_port(table, port):
    base = {"kind": "email", "host": "smtp.example.kz", "sender": "k@example.kz",
            "to": ["a@example.kz"]}
    assert channel_from_config("m", {**base, **table}, {}).port == port


EMAIL_ERRORS = [
    ({"host": None}, "host", "missing"),
    ({"to": None}, "to", "missing"),
    ({"to": "a@example.kz"}, "to", "list"),
    ({"to": []}, "to", "empty"),
    ({"to": ["a@example.kz", "not an address"]}, "to", "not an e-mail address"),
    ({"sender": "Kelisim <k@example.kz>"}, "sender", "not an e-mail address"),
    ({"port": "587"}, "port", "integer"),
    ({"port": 70000}, "port", "port"),
    ({"starttls": "yes"}, "starttls", "true or false"),
    ({"ssl": True}, "starttls", "ssl"),
    ({"password": "pa55"}, "password", "password_env"),
    ({"password_env": "NOT_SET_ANYWHERE"}, "password_env", "NOT_SET_ANYWHERE"),
    ({"password_env": None}, "password_env", "username"),
    ({"username": None}, "username", "missing"),
    ({"tls": True}, "tls", "not a setting"),
    ({"kind": None}, "kind", "missing"),
    ({"kind": "sms"}, "kind", "webhook"),
    ({"timeout": 0}, "timeout", "seconds"),
    ({"timeout": "5"}, "timeout", "number"),
]
WEBHOOK_ERRORS = [
    ({"url": None}, "url", "missing"),
    ({"url": "ftp://hooks.example.kz/kelisim"}, "url", "http"),
    ({"url": "hooks.example.kz/kelisim"}, "url", "http"),
    ({"url": "https:///kelisim"}, "url", "host"),
    ({"url": "https://user:pw@hooks.example.kz/"}, "url", "credentials"),
    ({"url": "https://hooks.example.kz:port/"}, "url", "not a URL"),
    ({"secret": "whsec"}, "secret", "secret_env"),
    ({"secret_env": "NOT_SET_ANYWHERE"}, "secret_env", "NOT_SET_ANYWHERE"),
    ({"headers": ["X-Team"]}, "headers", "table"),
    ({"headers": {"Authorization": "Bearer t0ken"}}, "headers", "env"),
    ({"headers": {"Content-Type": "text/plain"}}, "headers", "set by Kelisim"),
    ({"headers": {"X-Team": "apk\r\nX-Evil: 1"}}, "headers", "one line"),
    ({"headers": {"X Team": "apk"}}, "headers", "header name"),
    ({"headers": {"X-Team": 1}}, "headers", "string"),
    ({"headers": {"X-Token": {"env": "NOT_SET_ANYWHERE"}}}, "headers", "NOT_SET_ANYWHERE"),
    ({"to": ["a@example.kz"]}, "to", "not a setting"),
]


def changed(table: dict, changes: dict) -> dict:
    """A copy of the table with keys set, or removed where the change is None."""
    merged = {**table, **changes}
    return {key: value for key, value in merged.items() if value is not None}


@pytest.mark.parametrize("name, changes, key, words",
                         [("duty", *case) for case in EMAIL_ERRORS]
                         + [("apk", *case) for case in WEBHOOK_ERRORS])
def test_config_errors_name_the_channel_and_the_key(name, changes, key, words):
    with pytest.raises(ChannelConfigError) as caught:
        channel_from_config(name, changed(tables()[name], changes), ENV)
    message = str(caught.value)
    assert f"channel {name!r}" in message and f": {key}:" in message and words in message
    assert "pa55" not in message and "whsec" not in message and "t0ken" not in message


def test_an_empty_environment_variable_is_refused():
    with pytest.raises(ChannelConfigError, match="KELISIM_SMTP_PASSWORD is empty"):
        channel_from_config("duty", tables()["duty"], {**ENV, "KELISIM_SMTP_PASSWORD": ""})


def test_a_table_that_is_not_a_table_is_refused():
    with pytest.raises(ChannelConfigError, match="channel 'duty'"):
        channel_from_config("duty", "smtp.example.kz", ENV)  # type: ignore[arg-type]


# --- message_for ------------------------------------------------------------------------------


def test_spike_message_says_what_where_when_how_unusual_and_why():
    message = message_for(SPIKE, BASE)
    assert message.key == SPIKE["key"]
    assert message.subject == \
        "Kelisim: всплеск враждебных публикаций — Жамбылская область, 14.03.2024"
    text = message.text
    for phrase in ("Всплеск враждебных публикаций", "Где: Жамбылская область (КАТО 310000000)",
                   "Когда: 14.03.2024",
                   "Наблюдалось: 7, ожидалось около 1,3 — в 5,4 раза больше обычного.",
                   "p = 0,00021 — при обычном фоне примерно 1 шанс из 4 800; крайне маловероятно.",
                   "Основания: 2 документа.",
                   "1. «В Кордайском районе снова конфликт у рынка» — Tengrinews, 14.03.2024",
                   "«выгнать их всех из села» (призыв к выселению)",
                   "«это они во всём виноваты» (коллективное обвинение)",
                   "Orda.kz, 14.03.2024", "Оригинал: https://example.kz/news/12",
                   "Документ: https://kelisim.example.kz/documents/12",
                   "Документ: https://kelisim.example.kz/documents/15",
                   "Оповещение №17, сработало 14.03.2024 23:59 UTC",
                   "Открыть: https://kelisim.example.kz/alerts/17",
                   "Правило: hostility-watch", SPIKE["summary"]):
        assert phrase in text, phrase
    assert message.payload == {**SPIKE, "kelisim": {"version": 1}}


def test_without_base_url_there_are_no_links_to_the_app():
    text = message_for(SPIKE).text
    assert "/alerts/" not in text and "/documents/" not in text
    assert "Оригинал: https://example.kz/news/12" in text


def test_the_payload_is_a_copy_of_the_alert():
    alert = json.loads(json.dumps(SPIKE))
    message = message_for(alert)
    alert["evidence"][0]["title"] = "changed"
    assert message.payload["evidence"][0]["title"] == SPIKE["evidence"][0]["title"]


def test_silence_message_names_the_source():
    message = message_for(SILENCE, BASE)
    assert message.subject == "Kelisim: источник перестал публиковать — Tengrinews, 14.03.2024"
    text = message.text
    assert text.startswith("Источник перестал публиковать\nTengrinews молчит с 13.03.2024 06:10."
                           "\nИсточник: Tengrinews\n")
    assert "Наблюдалось: 0, ожидалось около 12." in text and "раз" not in text
    assert "p = 0,0000061 — при обычном фоне примерно 1 шанс из 160 000" in text
    assert "Основания: документов нет." in text
    assert "Открыть: https://kelisim.example.kz/alerts/18" in text


def test_search_message_quotes_the_seed_span_and_shortens_long_evidence():
    alert = search_alert()
    message = message_for(alert, BASE)
    assert message.subject == \
        "Kelisim: новые совпадения сохранённого поиска «кордай» — Кордайский район, 20.02.2020"
    text = message.text
    assert "«трагические события в Кордайском районе» (совпадение)" in text
    assert "1. «В столице начался круглый стол по актуальным вопросам этнополитики, сообщает " \
        "КазИнформ.» — Казинформ, 20.02.2020" in text
    assert "Основания: 7 документов." in text and "5. «" in text and "6. «" not in text
    assert "…и ещё 2 — в карточке оповещения." in text
    assert "Наблюдалось" not in text and "p =" not in text


@pytest.mark.parametrize("p, words", [
    (0.03, "p = 0,030 — при обычном фоне примерно 1 шанс из 33; маловероятно."),
    (0.004, "p = 0,0040 — при обычном фоне примерно 1 шанс из 250; очень маловероятно."),
    (0.2, "p = 0,20 — при обычном фоне примерно 1 шанс из 5; в пределах обычных колебаний."),
    (1e-9, "Вероятность случайности: p < 0,000001; крайне маловероятно.")])
def test_the_p_value_is_put_in_words(p, words):
    assert words in message_for({**SPIKE, "p_value": p}).text


def test_a_key_that_could_break_a_header_is_refused():
    with pytest.raises(ValueError, match="key"):
        message_for({**SPIKE, "key": "spike:x\r\nBcc: all@example.kz"})


def test_an_alert_that_is_not_json_is_refused_before_any_send():
    with pytest.raises(ValueError, match="not JSON"):
        message_for({**SPIKE, "observed": {7}})


@given(st.text(min_size=1))
def test_header_key_is_visible_ascii_and_gives_the_key_back(key):
    shown = header_key(key)
    assert all("!" <= c <= "~" for c in shown) and unquote(shown) == key


def test_send_takes_only_channels():
    with pytest.raises(TypeError):
        send("smtp://example.kz", AlertMessage("k", "s", "t", {}))  # type: ignore[arg-type]
