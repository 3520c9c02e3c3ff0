"""A seeded generator of transactions with planted terrorist-financing typologies and ground truth.

Background activity: accounts with log-normally spread activity (a few busy businesses, many quiet
people), log-normal payment amounts in cents with some rounded to hundreds, a mostly domestic
country mix with a few cross-border corridors, transfer/card/cash channels. Into that it plants
``instances`` occurrences of each typology in :data:`PLANTED`, on accounts picked from the quiet
half, each account used by one occurrence only. ``truth`` lists every planted account with its
typology and role, so precision and recall of flagged accounts can be measured. Same seed, same
data, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

PLANTED = (
    "structuring",
    "rapid_pass_through",
    "fan_in",
    "fan_out",
    "cycles",
    "layering_chain",
    "high_risk_jurisdiction",
    "npo_anomalous_flows",
    "dormant_reactivated",
    "round_amounts",
    "listed_proximity",
)
HOME = "AE"
CORRIDORS = ("GB", "IN", "PK", "EG", "US", "SA", "JO", "PH")
CONFLICT = ("SY", "YE", "SO", "AF", "IQ", "LY", "ML")
HOUR = 3600
DAY = 86400


@dataclass(frozen=True, slots=True)
class GeneratedData:
    """Generated tables (Arrow) in Raqib's layout, plus ground truth and listed accounts."""

    transactions: pa.Table
    accounts: pa.Table
    truth: pa.Table  # account_id, typology, role
    listed: pa.Table  # account_id

    def write(self, folder: Path, file_format: str = "csv") -> dict[str, Path]:
        """Write ``transactions``, ``accounts``, ``truth`` and ``listed`` into ``folder``.

        Args:
            folder: Created if missing.
            file_format: ``"csv"`` or ``"parquet"`` (truth and listed are always CSV).
        """
        folder.mkdir(parents=True, exist_ok=True)
        paths: dict[str, Path] = {}
        for name, table in (("transactions", self.transactions), ("accounts", self.accounts)):
            path = folder / f"{name}.{file_format}"
            if file_format == "parquet":
                pq.write_table(table, path)
            else:
                pacsv.write_csv(_csv_ready(table), path)
            paths[name] = path
        for name, table in (("truth", self.truth), ("listed", self.listed)):
            path = folder / f"{name}.csv"
            pacsv.write_csv(table, path)
            paths[name] = path
        return paths


def _csv_ready(table: pa.Table) -> pa.Table:
    """ISO 8601 text for timestamps, so the CSV reads the same everywhere."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            column = pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


@dataclass(slots=True)
class _Planter:
    """Collects planted transactions and truth rows."""

    rng: np.random.Generator
    days: int
    rows: list[tuple[int, int, int, float, str, str, str]] = field(default_factory=list)
    truth: list[tuple[int, str, str]] = field(default_factory=list)
    countries: dict[int, str] = field(default_factory=dict)

    def pay(
        self,
        source: int,
        target: int,
        second: int,
        amount: float,
        to_country: str | None = None,
        channel: str = "transfer",
    ) -> None:
        from_country = self.countries.get(source, HOME)
        self.rows.append(
            (
                second,
                source,
                target,
                round(float(amount), 2),
                from_country,
                to_country or self.countries.get(target, HOME),
                channel,
            )
        )

    def start(self, margin_days: int = 40) -> int:
        return int(self.rng.integers(0, (self.days - margin_days) * DAY))


def _plant(
    kind: str, planter: _Planter, take: Callable[[int], list[int]], external: Callable[[], int]
) -> list[int]:
    """Plant one occurrence of ``kind``; returns listed accounts (proximity only)."""
    rng, pay, t0 = planter.rng, planter.pay, planter.start()
    mark = planter.truth.append
    if kind == "structuring":
        (actor,) = take(1)
        mark((actor, kind, "actor"))
        for _ in range(int(rng.integers(3, 7))):
            pay(
                actor, external(), t0 + int(rng.integers(0, 5 * DAY)), rng.uniform(9000, 9990), channel="cash"
            )
    elif kind == "rapid_pass_through":
        (conduit,) = take(1)
        mark((conduit, kind, "conduit"))
        received = rng.uniform(5000, 50000)
        pay(external(), conduit, t0, received)
        parts = rng.dirichlet(np.ones(int(rng.integers(1, 4)))) * received * rng.uniform(0.85, 0.99)
        for part in parts:
            pay(conduit, external(), t0 + int(rng.integers(2 * HOUR, 48 * HOUR)), part)
    elif kind == "fan_in":
        beneficiary, *senders = take(int(rng.integers(15, 41)))
        mark((beneficiary, kind, "beneficiary"))
        for sender in senders:
            mark((sender, kind, "contributor"))
            pay(sender, beneficiary, t0 + int(rng.integers(0, 20 * DAY)), rng.uniform(5, 35))
    elif kind == "fan_out":
        payer, *recipients = take(int(rng.integers(11, 26)))
        mark((payer, kind, "payer"))
        base = rng.uniform(200, 2000)
        for recipient in recipients:  # recipients are unwitting individuals: not in the truth
            pay(payer, recipient, t0 + int(rng.integers(0, 10 * DAY)), base * rng.uniform(0.95, 1.05))
    elif kind == "cycles":
        members = take(int(rng.integers(3, 7)))
        amount, second = rng.uniform(1000, 20000), t0
        for index, member in enumerate(members):
            mark((member, kind, "member"))
            pay(member, members[(index + 1) % len(members)], second, amount)
            amount *= rng.uniform(0.97, 1.0)
            second += int(rng.integers(HOUR, 72 * HOUR))
    elif kind == "layering_chain":
        relays = take(int(rng.integers(4, 7)))
        amount, second = round(rng.uniform(700, 9000), 2), t0
        for source, target in itertools.pairwise(relays):
            mark((source, kind, "relay"))
            pay(source, target, second, amount)
            second += int(rng.integers(HOUR, 96 * HOUR))
        mark((relays[-1], kind, "relay"))
    elif kind == "high_risk_jurisdiction":
        (actor,) = take(1)
        mark((actor, kind, "actor"))
        country = str(rng.choice(CONFLICT))
        for _ in range(int(rng.integers(1, 5))):
            pay(
                actor,
                external(),
                t0 + int(rng.integers(0, 30 * DAY)),
                rng.uniform(500, 5000),
                to_country=country,
            )
    elif kind == "npo_anomalous_flows":
        (npo,) = take(1)
        mark((npo, kind, "npo"))
        for month in range(planter.days // 30):
            pay(npo, external(), month * 30 * DAY + int(rng.integers(0, 28 * DAY)), rng.uniform(500, 1500))
        abroad = str(rng.choice(CONFLICT)) if rng.random() < 0.5 else str(rng.choice(CORRIDORS))
        for _ in range(int(rng.integers(2, 5))):
            pay(
                npo,
                external(),
                t0 + int(rng.integers(0, 10 * DAY)),
                rng.uniform(4000, 10000),
                to_country=abroad,
            )
    elif kind == "dormant_reactivated":
        (sleeper,) = take(1)  # a dedicated account: no background activity
        mark((sleeper, kind, "sleeper"))
        for _ in range(int(rng.integers(1, 4))):
            pay(external(), sleeper, int(rng.integers(0, 45 * DAY)), rng.uniform(50, 500))
        wake = int(rng.integers(240 * DAY, (planter.days - 30) * DAY)) if planter.days > 300 else t0
        for _ in range(int(rng.integers(2, 5))):
            pay(external(), sleeper, wake + int(rng.integers(0, 5 * DAY)), rng.uniform(3000, 15000))
            pay(sleeper, external(), wake + int(rng.integers(5 * DAY, 10 * DAY)), rng.uniform(3000, 15000))
    elif kind == "round_amounts":
        (actor,) = take(1)
        mark((actor, kind, "actor"))
        for _ in range(int(rng.integers(5, 9))):
            pay(actor, external(), t0 + int(rng.integers(0, 12 * DAY)), 1000 * int(rng.integers(1, 10)))
    elif kind == "listed_proximity":
        listed, *near = take(int(rng.integers(3, 5)))
        for first in near:
            mark((first, kind, "one_hop"))
            pay(listed, first, t0 + int(rng.integers(0, 30 * DAY)), rng.uniform(200, 3000))
            for second in take(int(rng.integers(1, 3))):
                mark((second, kind, "two_hop"))
                pay(first, second, t0 + int(rng.integers(30 * DAY, 40 * DAY)), rng.uniform(200, 3000))
        return [listed]
    else:
        raise ValueError(f"no planting recipe for {kind!r}")
    return []


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, text, "")


def generate(
    *,
    accounts: int = 5_000,
    transactions: int = 100_000,
    days: int = 365,
    instances: int = 10,
    seed: int = 0,
    start: dt.date = dt.date(2024, 1, 1),
) -> GeneratedData:
    """Generate background activity with each typology in :data:`PLANTED` planted ``instances`` times.

    Args:
        accounts: Customer accounts (external counterparties are added on top).
        transactions: Background transactions (planted ones are added on top).
        days: Length of the history.
        instances: Occurrences planted per typology.
        seed: Random seed; the output depends on nothing else.
        start: First day of the history.
    """
    rng = np.random.default_rng(seed)
    kinds = rng.choice(np.array(["personal", "business", "npo"]), size=accounts, p=[0.85, 0.12, 0.03])
    activity = rng.lognormal(0.0, 1.0, size=accounts) * np.where(kinds == "business", 4.0, 1.0)
    country = np.where(rng.random(accounts) < 0.9, HOME, rng.choice(np.array(CORRIDORS), size=accounts))
    quiet = np.flatnonzero(activity <= np.median(activity))
    pool = list(rng.permutation(quiet[kinds[quiet] != "npo"]))
    npos = list(rng.permutation(quiet[kinds[quiet] == "npo"]))
    dedicated: set[int] = set()
    planter = _Planter(rng, days, countries={i: str(c) for i, c in enumerate(country) if c != HOME})
    external_ids: list[int] = []

    def external() -> int:
        external_ids.append(accounts + len(external_ids))
        return external_ids[-1]

    listed: list[int] = []
    for kind in PLANTED:
        for _ in range(instances):
            source = npos if kind == "npo_anomalous_flows" else pool

            def take(count: int, source: list[int] = source, kind: str = kind) -> list[int]:
                if len(source) < count:
                    raise ValueError("not enough accounts to plant every typology; raise accounts=")
                chosen = [int(source.pop()) for _ in range(count)]
                if kind in {"dormant_reactivated", "listed_proximity"}:
                    dedicated.update(chosen)
                return chosen

            listed += _plant(kind, planter, take, external)
    weights = activity.copy()
    weights[list(dedicated)] = 0.0
    weights /= weights.sum()
    source_ids = rng.choice(accounts, size=transactions, p=weights)
    target_ids = rng.choice(accounts, size=transactions, p=weights)
    clash = source_ids == target_ids
    target_ids[clash] = rng.choice(accounts, size=int(clash.sum()), p=weights)
    seconds = rng.integers(0, days * DAY, size=transactions)
    amounts = np.round(rng.lognormal(np.log(250.0), 1.1, size=transactions), 2)
    rounded = rng.random(transactions) < 0.02
    amounts[rounded] = np.maximum(100.0, np.round(amounts[rounded], -2))
    channels = rng.choice(np.array(["transfer", "card", "cash"]), size=transactions, p=[0.7, 0.2, 0.1])
    planted = planter.rows
    seconds = np.concatenate([seconds, np.array([r[0] for r in planted], dtype=np.int64)])
    source_ids = np.concatenate([source_ids, np.array([r[1] for r in planted], dtype=np.int64)])
    target_ids = np.concatenate([target_ids, np.array([r[2] for r in planted], dtype=np.int64)])
    amounts = np.concatenate([amounts, np.array([r[3] for r in planted])])
    all_country = np.concatenate([country, np.full(len(external_ids), HOME)])
    from_country = all_country[source_ids].astype(object)
    to_country = all_country[target_ids].astype(object)
    for offset, row in enumerate(planted, start=transactions):
        from_country[offset], to_country[offset] = row[4], row[5]
    channels = np.concatenate([channels, np.array([r[6] for r in planted], dtype=object)])
    order = np.lexsort((source_ids, seconds))
    epoch = int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC).timestamp())
    total = len(order)
    transactions_table = pa.table(
        {
            "id": _ids("T", np.arange(1, total + 1), 9),
            "timestamp": pa.array((seconds[order] + epoch) * 1_000_000, type=pa.timestamp("us")),
            "from_account": _ids("A", source_ids[order], 7),
            "to_account": _ids("A", target_ids[order], 7),
            "amount": pa.array(amounts[order]),
            "currency": pa.array(np.full(total, "USD")),
            "from_country": pa.array(from_country[order].astype(str)),
            "to_country": pa.array(to_country[order].astype(str)),
            "channel": pa.array(channels[order].astype(str)),
        }
    )
    opened = rng.integers(-5 * 365 * DAY, -30 * DAY, size=accounts) + epoch
    accounts_table = pa.table(
        {
            "account_id": _ids("A", np.arange(accounts), 7),
            "customer_id": _ids("C", np.arange(accounts), 7),
            "type": pa.array(kinds.astype(str)),
            "country": pa.array(country.astype(str)),
            "opened_at": pa.array(opened * 1_000_000, type=pa.timestamp("us")),
        }
    )
    truth_rows = sorted(planter.truth)
    truth = pa.table(
        {
            "account_id": _ids("A", np.array([r[0] for r in truth_rows], dtype=np.int64), 7),
            "typology": pa.array([r[1] for r in truth_rows], type=pa.string()),
            "role": pa.array([r[2] for r in truth_rows], type=pa.string()),
        }
    )
    listed_table = pa.table({"account_id": _ids("A", np.array(sorted(listed), dtype=np.int64), 7)})
    return GeneratedData(transactions_table, accounts_table, truth, listed_table)


__all__ = ["PLANTED", "GeneratedData", "generate"]
