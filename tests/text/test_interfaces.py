"""``POST /v1/text/screen`` and ``raqib text screen`` end to end, over a store with the 2017 UN list."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api
from tests.cli.conftest import CliRunner
from tests.text.conftest import TEXTS, UN_2017

NEWS = TEXTS / "news_ar_qatar_us_ct_dialogue.txt"


def test_api_screens_text(api: Api) -> None:
    text = "وقال الشيخ أيمن الظواهري إن داعش"
    response = api.client.post("/v1/text/screen", json={"text": text}, headers=api.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["direction"] == "rtl"
    assert body["list_versions"]
    assert [(m["text"], m["entity_id"], m["kind"], m["title"]) for m in body["mentions"]] == [
        ("أيمن الظواهري", "un_sc:QDi.006", "name", "الشيخ"),
        ("داعش", "un_sc:QDe.115", "org_alias", None),
    ]
    for mention in body["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_api_validates_and_needs_a_key(api: Api) -> None:
    assert api.client.post("/v1/text/screen", json={"text": "داعش"}).status_code == 401
    for body in ({"text": ""}, {"text": "x", "lang": "fr"}, {"text": "x", "threshold": 2}, {"txt": "x"}):
        assert api.client.post("/v1/text/screen", json=body, headers=api.headers()).status_code == 422


def test_cli_screens_the_news_file(raqib: CliRunner, tmp_path: Path) -> None:
    assert raqib("lists", "import", str(UN_2017)).code == 0
    result = raqib("text", "screen", str(NEWS), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert [m for m in report["mentions"] if m["type"] == "person"] == []
    assert [(m["text"], m["entity_id"]) for m in report["mentions"]] == [("داعش", "un_sc:QDe.115")]
    table = raqib("text", "screen", str(NEWS))
    assert table.code == 0
    assert "QDe.115" in table.out
    missing = raqib("text", "screen", str(tmp_path / "nope.txt"))
    assert missing.code != 0
    assert "no such file" in missing.err
