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


def test_text_mentions_raise_alerts(engine: Engine) -> None:
    from raqib.screening import record_text_mentions
    from raqib.screening.recording import text_subject

    mention = {
        "entity_id": "un_sc:QDe.115",
        "source": "un_sc",
        "score": 1.0,
        "text": "داعش",
        "explanation": "org alias",
    }
    assert record_text_mentions(engine, "تنظيم داعش", [mention], []) == 1
    assert record_text_mentions(engine, "تنظيم داعش", [mention], []) == 0
    assert AlertStore(engine).list(customer_id=text_subject("تنظيم داعش"))[0]["source"] == "text"


def test_key_and_allow_list_changes_are_audited(engine: Engine, un_store: ListStore, customers_csv) -> None:
    from raqib import audit
    from raqib.auth import ApiKeyStore, Role
    from raqib.screening import AllowList, CustomerRegister

    keys = ApiKeyStore(engine)
    key, _ = keys.create("core banking", Role.API_CLIENT)
    keys.revoke(key.id)
    CustomerRegister(engine).import_file(customers_csv)
    allow = AllowList(engine)
    entry = allow.add("c05", "un_sc:QDi.006", "other person", "mlro")
    allow.revoke(entry.id)
    actions = [r.action for r in audit.records(engine)]
    assert actions == ["apikey.create", "apikey.revoke", "allowlist.add", "allowlist.revoke"]
    assert audit.verify(engine) is None
