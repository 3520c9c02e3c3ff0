"""Name-matching quality benchmark: Raqib's engine against rapidfuzz and nomenklatura baselines.

Run ``python -m bench.quality`` (see ``bench/README.md``). Two tasks:

* **word pairs**: cross-script single tokens from three public corpora, positives and hard
  negatives; recall at a 1% false-match rate and at each system's own threshold;
* **full names**: the UN list's Arabic original-script names (and rewritten Latin names), varied
  class by class, searched in an index with no Arabic script; plus people who are not listed.

Modules: :mod:`~bench.quality.data` (sources), :mod:`~bench.quality.variations` (query
generators), :mod:`~bench.quality.negatives`, :mod:`~bench.quality.fullnames`,
:mod:`~bench.quality.baselines` (systems), :mod:`~bench.quality.metrics`,
:mod:`~bench.quality.runner` and :mod:`~bench.quality.report`.
"""
