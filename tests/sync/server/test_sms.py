"""SMS gateways: the log (numbers masked), memory for tests, and a carrier's class named on the
command line."""

from __future__ import annotations

import logging
import re

import pytest

from sync.server.errors import CentralError
from sync.server.sms import LoggingSmsGateway, MemoryGateway, SmsError, load_gateway


class CarrierGateway:
    """Stands for a carrier's gateway, loaded by name."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


class NoSend:
    pass


def test_the_log_gateway_writes_the_message_with_the_number_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="sync.server.sms"):
        LoggingSmsGateway().send("13812345678", "code 123456")
    assert caplog.messages == ["SMS to 138****5678: code 123456"]


def test_the_memory_gateway_keeps_messages_and_reads_codes_back() -> None:
    sms = MemoryGateway()
    with pytest.raises(LookupError):
        sms.last_code("13812345678")
    sms.send("13812345678", "【云汇广场】会员验证码 012345，5 分钟内有效。code 012345")
    sms.send("13900139000", "验证码 999999")
    sms.send("13812345678", "no code here 12345 or 1234567")
    assert sms.messages_to("13900139000") == ["验证码 999999"]
    with pytest.raises(LookupError):
        sms.last_code("13812345678")
    sms.send("13812345678", "验证码 000042")
    assert sms.last_code("13812345678") == "000042"
    assert len(sms.sent) == 4
    sms.failure = "carrier down"
    with pytest.raises(SmsError, match="carrier down"):
        sms.send("13812345678", "x")
    assert len(sms.sent) == 4


def test_a_gateway_is_named_by_module_and_class() -> None:
    assert load_gateway("none") is None
    assert isinstance(load_gateway("log"), LoggingSmsGateway)
    gateway = load_gateway(f"{__name__}:CarrierGateway")
    assert isinstance(gateway, CarrierGateway)


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ("carrier", 'give "none", "log"'),
        (":CarrierGateway", 'give "none", "log"'),
        ("no_such_module_here:Gateway", "cannot import no_such_module_here"),
        (f"{__name__}:Missing", "has no class Missing"),
        (f"{__name__}:NoSend", "no send(phone, text) method"),
    ],
)
def test_a_gateway_that_cannot_be_loaded_is_a_central_error(spec: str, needle: str) -> None:
    with pytest.raises(CentralError, match=re.escape(needle)):
        load_gateway(spec)
