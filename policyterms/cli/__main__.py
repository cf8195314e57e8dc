"""python -m policyterms.cli: main(), so that cProfile and coverage get to write their data."""

from . import main

main()
