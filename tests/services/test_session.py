from __future__ import annotations

from pathlib import Path

from kiosk.services.session import IdlePolicy, ScreenKind, SessionScratch

POLICY = IdlePolicy(browse_s=60, form_s=180, member_s=30, countdown_s=20, accessible_factor=2.0)


def test_timeouts_follow_the_kind_of_screen() -> None:
    assert POLICY.timeout_s(ScreenKind.BROWSE, accessible=False) == 60
    assert POLICY.timeout_s(ScreenKind.FORM, accessible=False) == 180
    assert POLICY.timeout_s(ScreenKind.MEMBER, accessible=False) == 30


def test_accessibility_mode_lengthens_every_timeout() -> None:
    for kind in ScreenKind:
        assert POLICY.timeout_s(kind, accessible=True) == 2 * POLICY.timeout_s(
            kind, accessible=False
        )


def test_scratch_directory_is_replaced_and_emptied(tmp_path: Path) -> None:
    scratch = SessionScratch(tmp_path)
    first = scratch.path
    (first / "pinyin").mkdir()
    (first / "pinyin" / "usr_dict.dat").write_bytes(b"typed by a shopper")
    second = scratch.renew()
    assert not first.exists()
    assert second.is_dir()
    assert list(second.iterdir()) == []
    scratch.discard()
    assert not second.exists()
