"""`python -m somec_graph.bench`: see `benchmark.py`."""

import sys

from .benchmark import main

sys.exit(main())
