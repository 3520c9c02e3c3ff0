"""Entry point: ``python -m bench.quality``."""

import sys

from bench.quality.runner import main

sys.exit(main())
