"""The benchmark behind `make bench` / `leadseg bench --scale S` (see docs/bench.md)."""

from .run import add_arguments, main, run_bench

__all__ = ["add_arguments", "main", "run_bench"]
