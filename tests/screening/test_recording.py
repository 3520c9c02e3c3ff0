"""Alerts from payment holds and single screens reach the one alert table."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from raqib.cases import AlertStore
from raqib.lists import ListStore
from raqib.screening import Screener, make_query, record_hits, record_payment_hold


def test_payment_hold_raises_alerts_once(engine: Engine) -> None:
    decision = {
        "decision": "hold",
        "uetr": "eb6305c9-1f7f-49de-aed0-16487c27b42d",
        "message_id": "MSG1",
        "reasons": [
            {
                "action": "hold",
                "kind": "party_name",
                "field": "Cdtr.Nm",
                "value": "Ayman al-Zawahiri",
                "hit": {"entity_id": "un_sc:QDi.006", "source": "un_sc"},
                "score": 0.97,
                "detail": "names agree",
            },
            {
                "action": "hold",
                "kind": "jurisdiction",
                "field": "Cdtr.PstlAdr.Ctry",
                "value": "KP",
                "hit": {"code": "kp", "name": "North Korea"},
                "score": 1.0,
            },
            {
                "action": "review",
                "kind": "free_text_name",
                "field": "RmtInf",
                "value": "x",
                "hit": {},
                "score": 0.6,
            },
        ],
    }
    assert record_payment_hold(engine, decision, []) == 2
    assert record_payment_hold(engine, decision, []) == 0
    alerts = AlertStore(engine).list(customer_id="payment:eb6305c9-1f7f-49de-aed0-16487c27b42d")
    assert {(a["entity_id"], a["source"]) for a in alerts} == {
        ("un_sc:QDi.006", "payment"),
        ("jurisdiction:kp", "payment"),
    }
    assert record_payment_hold(engine, {**decision, "decision": "review"}, []) == 0


def test_record_hits_for_a_single_screen(engine: Engine, un_store: ListStore) -> None:
    screener = Screener.from_store(un_store)
    hits = screener.screen(make_query("قاسم محمد مهدي الريمي"))
    assert record_hits(engine, "c-1", hits, screener.versions, "single") == len(hits)
    alert = AlertStore(engine).list(customer_id="c-1")[0]
    assert alert["list_version_id"] == un_store.versions("un_sc")[-1].id
