"""Alert rules files: the defaults load, every mistake is named with where it is."""

import pytest

from kelisim.warning.rules import RulesError, load_rules, parse_rules

ENV = {"KELISIM_SMTP_PASSWORD": "secret", "HOOK_SECRET": "s3"}

GOOD = """
base_url = "http://127.0.0.1:8000"

[[spike]]
name = "hostile-zhambyl"
signal = "hostile"
level = "district"
regions = ["Жамбылская область", "750000000"]
sensitivity = "high"
min_count = 2
channels = ["duty", "hook"]

[[search]]
name = "kordai"
query = "Кордай"
channels = ["hook"]

[silence]
hours = 24
channels = ["duty"]

[channel.duty]
kind = "email"
host = "127.0.0.1"
port = 2525
sender = "kelisim@example.kz"
to = ["duty@example.kz"]
username = "kelisim"
password_env = "KELISIM_SMTP_PASSWORD"

[channel.hook]
kind = "webhook"
url = "http://127.0.0.1:9000/hook"
secret_env = "HOOK_SECRET"
"""


def test_the_shipped_defaults_watch_every_region_and_send_nothing():
    rules = load_rules(None, {})
    assert {r.signal for r in rules.spikes} == {"conflict", "hostile", "attention"}
    assert all(not r.regions and not r.channels for r in rules.spikes)
    assert rules.silence is not None and rules.stories is not None and not rules.channels


def test_a_full_file_is_read():
    rules = parse_rules(GOOD, ENV, "alerts.toml")
    spike = rules.spikes[0]
    assert spike.regions == ("310000000", "750000000")
    assert spike.level == "district" and spike.sensitivity == "high" and spike.min_count == 2
    assert rules.searches[0].query == "Кордай"
    assert rules.silence.hours == 24 and rules.stories is None
    assert set(rules.channels) == {"duty", "hook"}
    assert rules.base_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(("change", "message"), [
    (('signal = "hostile"', 'signal = "anger"'), r"\[\[spike\]\] 'hostile-zhambyl' signal = 'anger': choose one of"),
    (('sensitivity = "high"', 'sensitivity = "extreme"'), "sensitivity = 'extreme'"),
    (('"Жамбылская область"', '"Атлантида"'), "region 'Атлантида'.*20 regions"),
    (('channels = ["hook"]', 'channels = ["pager"]'), "channel 'pager'.*not defined"),
    (('min_count = 2', 'min_count = 0'), "min_count must be a whole number >= 1"),
    (('[silence]', '[silence]\nminutes = 3'), r"\[silence\] has unknown key\(s\) minutes"),
    (('password_env = "KELISIM_SMTP_PASSWORD"', 'password = "hunter2"'), "duty"),
    (('name = "kordai"', 'name = "hostile-zhambyl"'), "repeated: hostile-zhambyl"),
    (('[[search]]', '[[search]\n'), "not valid TOML"),
])
def test_mistakes_are_named(change, message):
    old, new = change
    with pytest.raises(RulesError, match=message):
        parse_rules(GOOD.replace(old, new, 1), ENV, "alerts.toml")


def test_a_missing_secret_is_named():
    with pytest.raises(RulesError, match="alerts.toml.*duty"):
        parse_rules(GOOD, {"HOOK_SECRET": "s3"}, "alerts.toml")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RulesError, match="cannot read the alert rules"):
        load_rules(tmp_path / "none.toml", {})
