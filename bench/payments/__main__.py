"""bench/payments: payment messages screened per second, beside a parsing-only baseline.

Run: ``python -m bench.payments [--messages N] [--workers 2]``. Reads the lists (UN 2026 + OFAC 2021)
and the CBPR+ samples from ../shared/data; prints a table and writes bench/out/payments.json.

The mix: every real pacs.008 sample of the shared data set, verbatim, plus pacs.008 messages built on
the CBPR+ p.2.1.1 layout with synthetic debtors and creditors (``bench.synthetic`` customers; 2% of
names taken from the lists so that hits are exercised), their countries, and remittance lines of
1-12 words (some naming a listed name). Columns, measured in the same run:

- parse only: :func:`raqib.payments.parse_messages` (1 process);
- screen, 1 process: parse + party names + identifiers + jurisdictions + free text, on mix A, starting
  with cold caches (the engine's token caches and the payment screener's result cache);
- screen, N workers: the same over forked processes (index shared copy-on-write) on mix B: new
  synthetic parties and remittance lines (the caches are as mix A left them, as in a running service).
Target (issue): >= 1,000 pacs.008 messages/s on 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import random
import time
from pathlib import Path
from xml.sax.saxutils import escape

from rich.console import Console
from rich.table import Table

from bench.synthetic import SHARED, CustomerGenerator
from raqib.lists import parse_list
from raqib.payments import Decision, IdentifierIndex, PaymentScreener, parse_messages
from raqib.screening import Screener

OUT = Path(__file__).resolve().parent.parent / "out"
LISTS = [SHARED / "lists" / "un" / "un_consolidated_2026-02-27.xml", SHARED / "lists" / "ofac" / "2021-07"]
SAMPLES = SHARED / "payments"
TARGET = 1000.0
REMITTANCE_WORDS = [
    "invoice",
    "payment",
    "services",
    "consulting",
    "rent",
    "march",
    "april",
    "salary",
    "goods",
    "order",
    "contract",
    "fees",
    "school",
    "tuition",
    "family",
    "support",
    "medical",
    "supplies",
    "reference",
    "transfer",
    "balance",
    "deposit",
    "loan",
    "instalment",
]

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope">
 <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <Fr><FIId><FinInstnId><BICFI>{dbtr_bic}</BICFI></FinInstnId></FIId></Fr>
  <To><FIId><FinInstnId><BICFI>{cdtr_bic}</BICFI></FinInstnId></FIId></To>
  <BizMsgIdr>{id}</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr><BizSvc>swift.cbprplus.02</BizSvc>
  <CreDt>2026-01-05T09:00:00+00:00</CreDt>
 </AppHdr>
 <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>{id}</MsgId><CreDtTm>2026-01-05T09:00:00+00:00</CreDtTm><NbOfTxs>1</NbOfTxs>
   <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><InstrId>{id}</InstrId><EndToEndId>E2E-{id}</EndToEndId><UETR>{uetr}</UETR></PmtId>
   <IntrBkSttlmAmt Ccy="EUR">{amount}</IntrBkSttlmAmt><IntrBkSttlmDt>2026-01-05</IntrBkSttlmDt>
   <ChrgBr>SHAR</ChrgBr>
   <InstgAgt><FinInstnId><BICFI>{dbtr_bic}</BICFI></FinInstnId></InstgAgt>
   <InstdAgt><FinInstnId><BICFI>{cdtr_bic}</BICFI></FinInstnId></InstdAgt>
   <Dbtr><Nm>{dbtr}</Nm><PstlAdr><StrtNm>High Street {n}</StrtNm><TwnNm>Town</TwnNm><Ctry>{dbtr_ctry}</Ctry></PstlAdr></Dbtr>
   <DbtrAcct><Id><IBAN>{dbtr_iban}</IBAN></Id></DbtrAcct>
   <DbtrAgt><FinInstnId><BICFI>{dbtr_bic}</BICFI></FinInstnId></DbtrAgt>
   <CdtrAgt><FinInstnId><BICFI>{cdtr_bic}</BICFI></FinInstnId></CdtrAgt>
   <Cdtr><Nm>{cdtr}</Nm><PstlAdr><StrtNm>Main Road {n}</StrtNm><TwnNm>City</TwnNm><Ctry>{cdtr_ctry}</Ctry></PstlAdr></Cdtr>
   <CdtrAcct><Id><Othr><Id>{cdtr_acct}</Id></Othr></Id></CdtrAcct>
   <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf></Document>
</Envelope>
"""


def real_pacs008() -> list[bytes]:
    return [
        p.read_bytes() for p in sorted(SAMPLES.rglob("*.xml")) if "pacs.008" in p.name or "pacs008" in p.name
    ]


def synthetic_pacs008(count: int, seed: int, list_names: list[str]) -> list[bytes]:
    rng = random.Random(seed)
    customers = CustomerGenerator(seed).customers(count * 2)
    messages = []
    for number in range(count):
        debtor, creditor = next(customers), next(customers)
        dbtr = rng.choice(list_names) if rng.random() < 0.02 else debtor.name
        cdtr = rng.choice(list_names) if rng.random() < 0.02 else creditor.name
        words = [rng.choice(REMITTANCE_WORDS) for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.01:
            words[len(words) // 2 : len(words) // 2] = rng.choice(list_names).split()[:4]
        dbtr_ctry = (debtor.country or "gb").upper()
        cdtr_ctry = (creditor.country or "de").upper()
        messages.append(
            TEMPLATE.format(
                id=f"B{number:08d}",
                uetr=f"00000000-0000-4000-8000-{number:012d}",
                amount=f"{rng.randint(10, 99999)}.{rng.randint(0, 99):02d}",
                dbtr=escape(dbtr[:140]),
                cdtr=escape(cdtr[:140]),
                dbtr_ctry=dbtr_ctry,
                cdtr_ctry=cdtr_ctry,
                dbtr_bic=f"BANK{dbtr_ctry}2LXXX",
                cdtr_bic=f"BANK{cdtr_ctry}FFXXX",
                dbtr_iban=f"{dbtr_ctry}{rng.randint(10, 99)}BANK{rng.randint(10**13, 10**14 - 1)}",
                cdtr_acct=str(rng.randint(10**7, 10**9)),
                n=number % 300,
                remittance=escape(" ".join(words)),
            ).encode("utf-8")
        )
    return messages


_SCREENER: PaymentScreener | None = None


def _screen_chunk(chunk: list[bytes]) -> tuple[int, int]:
    assert _SCREENER is not None
    held = 0
    for data in chunk:
        for result in _SCREENER.screen_all(parse_messages(data)):
            held += isinstance(result, Decision) and result.hold
    return len(chunk), held


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=6000, help="synthetic pacs.008 messages in the mix")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    console = Console()
    global _SCREENER

    started = time.perf_counter()
    entities = [e for path in LISTS for e in parse_list(path).entities]
    screener = Screener(entities)
    payments = PaymentScreener(screener, IdentifierIndex(entities))
    build_s = time.perf_counter() - started
    list_names = [n.full for e in entities for n in e.names if n.full.isascii()]

    real = real_pacs008()
    mix = synthetic_pacs008(args.messages, 7, list_names) + real * 3
    random.Random(3).shuffle(mix)
    mix_b = synthetic_pacs008(args.messages, 8, list_names) + real * 3
    random.Random(4).shuffle(mix_b)

    started = time.perf_counter()
    for data in mix:
        parse_messages(data)
    parse_s = time.perf_counter() - started

    started = time.perf_counter()
    outcomes = {"pass": 0, "review": 0, "hold": 0}
    for data in mix:
        for result in payments.screen_all(parse_messages(data)):
            if isinstance(result, Decision):
                outcomes[result.outcome] += 1
    outcomes["hold"]
    single_s = time.perf_counter() - started

    _SCREENER = payments
    workers = min(args.workers, os.cpu_count() or 1)
    # As `raqib serve` does once its index is built: move the index out of the collector's reach, so a
    # forked worker's first full collection does not walk (and copy-on-write touch) the whole index.
    gc.freeze()
    chunks = [mix_b[i : i + 50] for i in range(0, len(mix_b), 50)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = sum(n for n, _ in pool.imap_unordered(_screen_chunk, chunks))
    parallel_s = time.perf_counter() - started

    results = {
        "messages": len(mix),
        "real_samples": len(real),
        "outcomes_mix_a": outcomes,
        "entities": len(entities),
        "build_s": round(build_s, 2),
        "parse_only_per_s": round(rate(len(mix), parse_s), 1),
        "screen_1_process_per_s": round(rate(len(mix), single_s), 1),
        f"screen_{workers}_workers_per_s": round(rate(done, parallel_s), 1),
        "target_per_s": TARGET,
        "cpu_count": os.cpu_count(),
    }
    table = Table(
        title=f"payments: {len(mix)} pacs.008 messages ({len(real)} real samples x3), {len(entities)} entities"
    )
    for column in ("parse only (msg/s)", "screen, 1 process (A, cold)", f"screen, {workers} workers (B)", "target",
                   "pass/review/hold (A)"):  # fmt: skip
        table.add_column(column, justify="right")
    table.add_row(
        f"{results['parse_only_per_s']:,.0f}",
        f"{results['screen_1_process_per_s']:,.0f}",
        f"{results[f'screen_{workers}_workers_per_s']:,.0f}",
        f"{TARGET:,.0f}",
        "/".join(str(outcomes[k]) for k in ("pass", "review", "hold")),
    )
    console.print(table)
    console.print(f"index build (UN 2026 + OFAC 2021, entities parsed): {build_s:.1f} s")
    OUT.mkdir(exist_ok=True)
    (OUT / "payments.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
